"""Demo clearinghouse: 25 published practices in 15 countries, three in review, and a dozen library resources.

Written through the services, as members and the demo moderator would. Idempotent: practices and
resources are found by title, so a second run adds nothing.
"""

import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import Membership, Organisation, User
from core.models import PolicyArea, Topic
from directory import services
from directory.models import Practice, Resource, TargetGroup

MODERATOR = "moderator@demo.crossroads.example"

# Practices: (lead organisation, author e-mail or None for the organisation's first admin, fields).
# Fields use the model's names; areas, topics and targets are codes.
PRACTICES: list[tuple[str, str | None, dict]] = [
    ("Gemeente Utrecht – Integration", None, {
        "title": "Plan Einstein: newcomers and neighbours learning together from day one",
        "summary": "Asylum seekers and young local tenants shared a reception site in Utrecht's Overvecht district and "
                   "took courses together in English, entrepreneurship and social skills, whatever the outcome of the "
                   "asylum claim.",
        "issue": "Reception centres kept asylum seekers waiting for months without language, work or contact with the "
                 "city, and neighbours opposed a new centre in their district.",
        "how_it_works": "- Local young people rented flats on the same site as the reception centre.\n"
                        "- Courses in English and entrepreneurship were open to residents of the centre *and* the "
                        "neighbourhood.\n- A coordinator matched participants with local businesses and volunteers.",
        "results": "Participants built networks in the city before getting status; opposition in the district gave way "
                   "to neighbours using the shared café and courses.",
        "evaluation_type": "academic",
        "evaluation_indicators": "Social networks, wellbeing and skills of participants, "
                                 "measured over two years by a university team.",
        "lessons": "Co-housing worked where the management was on site daily. Courses with certificates drew more "
                   "participants than informal activities.",
        "transferability": "Needs a site where flats and a reception centre can share common space, and EU or "
                           "national innovation funding for the first two years.",
        "beneficiaries": "About 400 asylum seekers and 40 young local tenants.",
        "funding": "EU Urban Innovative Actions "
                   "and the city budget.",
        "start_year": 2016, "end_year": 2018, "country": "NL", "city": "Utrecht", "level": "local", "language": "en",
        "areas": ["socio-economic", "cultural"],
        "topics": ["language-learning", "entrepreneurship", "everyday-interaction"],
        "targets": ["refugees", "youth", "host-community"]}),
    ("Ajuntament de Barcelona – Interculturality Programme", None, {
        "title": "Anti-rumours strategy: training citizens to counter prejudice in everyday conversation",
        "summary": "Barcelona trains volunteers, shopkeepers and public servants as anti-rumour agents who answer "
                   "common myths about migrants with facts and empathy, in the places where the rumours circulate.",
        "issue": "Rumours such as “migrants get social housing first” spread in bars, markets and waiting rooms and "
                 "undermined coexistence in diverse districts.",
        "how_it_works": "A network of 1,000 organisations and individuals shares materials, comics and a catalogue of "
                        "rumours with the data that answers them. Agents take a 12-hour course on dialogue techniques.",
        "results": "More than 2,000 agents trained; the method was adopted by dozens of cities in Europe and beyond.",
        "evaluation_type": "external", "evaluation_indicators": "Attitude surveys before and after training; number of "
                           "agents and activities per district.",
        "lessons": "Facts alone rarely convince; agents succeed when they listen first and share personal stories.",
        "transferability": "Start with a local map of rumours: they differ from city to city.",
        "beneficiaries": "Residents of all districts; 2,000 trained agents.", "funding": "City budget.",
        "start_year": 2010, "country": "ES", "city": "Barcelona", "level": "local", "language": "en",
        "areas": ["cultural"], "topics": ["public-perceptions", "tolerance-of-diversity", "everyday-interaction"],
        "targets": ["host-community", "public-servants"]}),
    ("Welcome Bridges e.V.", "ngo@demo.crossroads.example", {
        "title": "Job mentoring tandems for newly arrived professionals",
        "summary": "Volunteers working in the same profession mentor a newcomer for six months: CV, applications, "
                   "recognition of qualifications and the unwritten rules of German workplaces.",
        "issue": "Qualified refugees and migrants took jobs far below their skills because they lacked contacts and "
                 "knowledge of the recognition procedures.",
        "how_it_works": "1. Intake interview and skills profile.\n2. Matching with a mentor from the same field.\n"
                        "3. Fortnightly meetings and a monthly group workshop.\n4. Follow-up after six months.",
        "results": "Of 320 mentees, 58% found work or training related to their qualification within a year.",
        "evaluation_type": "internal",
        "evaluation_indicators": "Employment status after 6 and 12 months; match between "
                                 "job and qualification.",
        "lessons": "Mentors from the same profession opened doors that general volunteers could not.",
        "transferability": "Works best in cities with a large pool of professionals willing to volunteer.",
        "beneficiaries": "320 newcomers since 2017.", "funding": "Foundation grants and the Berlin Senate.",
        "start_year": 2017, "country": "DE", "city": "Berlin", "level": "local", "language": "de",
        "areas": ["socio-economic"], "topics": ["employment", "skills-recognition"],
        "targets": ["newcomers", "jobseekers"]}),
    ("City of Vienna – Department for Integration and Diversity", "official@demo.crossroads.example", {
        "title": "Start Wien: a coaching path for every newcomer",
        "summary": "Every newcomer to Vienna is offered a personal start coaching in their own language, education "
                   "vouchers for German courses and information modules on work, housing and health.",
        "issue": "Newcomers received information from many offices, in German only, and often too late.",
        "how_it_works": "Coaching in 24 languages at the immigration office; vouchers worth up to €300 for German "
                        "courses; a 'Wiener Bildungspass' records the modules attended.",
        "results": "Over 100,000 coaching sessions; voucher users reach A2 German faster than non-users.",
        "evaluation_type": "external",
        "evaluation_indicators": "Course completion, language levels reached, satisfaction.",
        "lessons": "Reaching people at the moment they register was decisive; later outreach reached far fewer.",
        "transferability": "Needs a registration point every newcomer passes through.",
        "beneficiaries": "All third-country newcomers and EU citizens in Vienna.", "funding": "City of Vienna.",
        "start_year": 2008, "country": "AT", "city": "Vienna", "level": "local", "language": "de",
        "areas": ["socio-economic"], "topics": ["language-learning", "access-to-rights"], "targets": ["newcomers"]}),
    ("Comune di Milano – Migrant Services", "admin@demo.crossroads.example", {
        "title": "One-stop shop for residence permits and housing advice",
        "summary": "A single municipal desk helps migrants with residence permit renewals, registration and the "
                   "search for housing, replacing six separate offices.",
        "issue": "Migrants lost their permits or jobs because appointments at different offices could not be "
                 "combined.",
        "how_it_works": "Cultural mediators and legal advisers work side by side; appointments can be booked online or "
                        "through neighbourhood associations.",
        "results": "Waiting times for permit renewals halved; 9,000 people helped a year.",
        "evaluation_type": "internal", "evaluation_indicators": "Waiting times, cases resolved, users' satisfaction.",
        "lessons": "Mediators from the main communities made the desk trusted quickly.",
        "transferability": "Needs an agreement with the national police office that issues permits.",
        "beneficiaries": "9,000 people a year.", "funding": "Municipal budget and the national asylum fund.",
        "start_year": 2015, "country": "IT", "city": "Milan", "level": "local", "language": "it",
        "areas": ["legal-political", "socio-economic"], "topics": ["access-to-rights", "housing"],
        "targets": ["newcomers", "families"]}),
    ("Ville de Lyon – Mission Égalité", None, {
        "title": "Testing for discrimination in hiring with local employers",
        "summary": "Lyon runs situation tests with matched CVs and then works with the employers tested to change "
                   "their recruitment, rather than only naming them.",
        "issue": "Applicants with North African names received far fewer interview invitations than equally "
                 "qualified applicants.",
        "how_it_works": "Pairs of CVs differing only by name are sent to job offers; results are shared confidentially "
                        "with each employer, followed by training for their recruiters.",
        "results": "Participating employers reduced the gap in callbacks by two thirds within two years.",
        "evaluation_type": "academic", "evaluation_indicators": "Callback rates by name before and after training.",
        "lessons": "Confidential feedback made employers cooperate; public naming made them refuse.",
        "transferability": "Needs a legal basis for testing and a partner university for the statistics.",
        "beneficiaries": "Jobseekers of migrant origin; 60 employers.", "funding": "City of Lyon and the national "
                         "equality body.",
        "start_year": 2014, "country": "FR", "city": "Lyon", "level": "local", "language": "en",
        "areas": ["legal-political"], "topics": ["anti-discrimination", "employment"],
        "targets": ["second-generation", "jobseekers"]}),
    ("Stadt Leipzig – Referat für Migration und Integration", None, {
        "title": "Migrant advisory council elected by all foreign residents",
        "summary": "Leipzig's migrant advisory council is elected by all foreign residents and advises the city "
                   "council, with a right to propose motions.",
        "issue": "Non-EU residents cannot vote in local elections and had no voice in decisions affecting them.",
        "how_it_works": "Elections every five years alongside local elections; the council's chair sits on the city "
                        "council's committees with a right to speak.",
        "results": "The council proposed the city's first multilingual information portal and a school mediators "
                   "programme, both adopted.",
        "evaluation_type": "self", "lessons": "Turnout stayed low until elections were held by post.",
        "transferability": "Requires a municipal statute; turnout depends on outreach through community groups.",
        "beneficiaries": "About 60,000 foreign residents.", "funding": "City budget.",
        "start_year": 2009, "country": "DE", "city": "Leipzig", "level": "local", "language": "de",
        "areas": ["legal-political"], "topics": ["political-participation", "empowerment"], "targets": ["newcomers"]}),
    ("Lisbon City Council – Migrant Support", None, {
        "title": "Local centres for migrant integration in every parish",
        "summary": "Lisbon opened neighbourhood centres where migrants get legal, health and employment orientation "
                   "close to home, run with community associations.",
        "issue": "The national support centre was far from the districts where migrants live and had long queues.",
        "how_it_works": "Each centre is run by a community association under a protocol with the city; staff are "
                        "trained by the national migration agency.",
        "results": "Twelve centres serve 25,000 people a year; health registrations of migrants doubled.",
        "evaluation_type": "internal", "evaluation_indicators": "Visits, referrals to health and employment services.",
        "lessons": "Associations rooted in the districts reached undocumented people who avoid public offices.",
        "transferability": "Needs a national agency that trains and certifies local staff.",
        "beneficiaries": "25,000 people a year.", "funding": "City of Lisbon and the European Social Fund.",
        "start_year": 2012, "country": "PT", "city": "Lisbon", "level": "local", "language": "pt",
        "areas": ["socio-economic", "legal-political"], "topics": ["access-to-rights", "health"],
        "targets": ["newcomers", "undocumented"]}),
    ("City of Gothenburg – Newcomers' Unit", None, {
        "title": "Fast track into teaching for newly arrived teachers",
        "summary": "Newly arrived teachers combine intensive Swedish, pedagogy courses and a paid placement at a "
                   "school, and reach a Swedish teaching licence in about two years.",
        "issue": "Schools lacked teachers while qualified teachers among refugees waited years for recognition.",
        "how_it_works": "A university course in Swedish for teachers, a mentor at the placement school and a "
                        "recognition assessment at the start.",
        "results": "Two thirds of participants work as teachers or teaching assistants.",
        "evaluation_type": "external", "evaluation_indicators": "Licences obtained, employment after two years.",
        "lessons": "The paid placement kept participants in the programme.",
        "transferability": "Needs a national recognition body willing to assess during, not before, the programme.",
        "beneficiaries": "150 teachers.", "funding": "National employment service and the city.",
        "start_year": 2016, "country": "SE", "city": "Gothenburg", "level": "local", "language": "sv",
        "areas": ["socio-economic"], "topics": ["education", "skills-recognition", "employment"],
        "targets": ["refugees", "jobseekers"]}),
    ("City of Toronto – Newcomer Office", None, {
        "title": "Access without fear: city services regardless of immigration status",
        "summary": "Toronto's policy lets every resident use city services without being asked about immigration "
                   "status, backed by staff training and a complaints route.",
        "issue": "Undocumented residents avoided shelters, libraries and public health for fear of being reported.",
        "how_it_works": "Staff in all divisions are trained not to ask for status unless required by law; "
                        "information is published in 20 languages.",
        "results": "Use of public health clinics by undocumented residents rose; staff report fewer refusals.",
        "evaluation_type": "internal", "lessons": "Training had to be repeated: staff turnover eroded the policy.",
        "transferability": "Needs council backing and an audit of every form that asks for status.",
        "beneficiaries": "An estimated 200,000 residents without full status.", "funding": "City budget.",
        "start_year": 2014, "country": "CA", "city": "Toronto", "level": "local", "language": "en",
        "areas": ["legal-political"], "topics": ["access-to-rights", "anti-discrimination"],
        "targets": ["undocumented"]}),
    ("Athens Municipality – Migrant Integration Council", None, {
        "title": "Migrant voices in municipal decisions",
        "summary": "The Athens migrant integration council brings elected migrant community representatives together "
                   "with city officials to shape services.",
        "issue": "Community associations were consulted only in emergencies.",
        "how_it_works": "Monthly meetings with a fixed agenda; working groups on schools, health and employment.",
        "results": "The council co-designed the city's refugee coordination centre.",
        "evaluation_type": "self", "lessons": "Giving the council a budget line made its proposals concrete.",
        "transferability": "Works where the mayor's office commits to answer each proposal within three months.",
        "beneficiaries": "Over 40 community associations.", "funding": "City budget.",
        "start_year": 2011, "country": "GR", "city": "Athens", "level": "local", "language": "el",
        "areas": ["legal-political"], "topics": ["political-participation", "empowerment"], "targets": ["newcomers"]}),
    ("Bergamo Municipality – Social Cohesion", None, {
        "title": "Neighbourhood football leagues mixing newcomers and long-time residents",
        "summary": "Mixed teams of newcomers and local residents play in a season-long league run with amateur "
                   "clubs, with language and first-aid workshops around the matches.",
        "issue": "Young newcomers had few places to meet local peers outside school.",
        "how_it_works": "Clubs form mixed teams; each match day ends with a shared meal prepared by families.",
        "results": "Sixteen teams a season; several players joined regular clubs.",
        "evaluation_type": "self", "lessons": "Shared meals brought parents in, not only players.",
        "transferability": "Needs amateur clubs willing to lend pitches and coaches.",
        "beneficiaries": "250 young people a season.", "funding": "Sponsors and the municipality.",
        "start_year": 2018, "country": "IT", "city": "Bergamo", "level": "local", "language": "it",
        "areas": ["cultural"], "topics": ["sport-and-culture", "everyday-interaction"],
        "targets": ["youth", "host-community"]}),
    ("City of Ghent – Integration and Civic Integration", None, {
        "title": "Language buddies: practising Dutch with a neighbour",
        "summary": "Ghent pairs learners of Dutch with volunteer neighbours who meet weekly to practise the language "
                   "in everyday situations: the market, the doctor, the school gate.",
        "issue": "Learners of Dutch had few chances to speak it outside the classroom.",
        "how_it_works": "Learners sign up at their language school; volunteers get a short training and a booklet of "
                        "conversation themes.",
        "results": "1,200 pairs a year; learners report more confidence speaking Dutch.",
        "evaluation_type": "internal", "lessons": "Pairs that met in public places lasted longer.",
        "transferability": "Easy to replicate; needs a coordinator for about every 200 pairs.",
        "beneficiaries": "1,200 learners a year.", "funding": "City of Ghent.",
        "start_year": 2013, "country": "BE", "city": "Ghent", "level": "local", "language": "nl",
        "areas": ["socio-economic", "cultural"], "topics": ["language-learning", "everyday-interaction"],
        "targets": ["newcomers", "host-community"]}),
    ("Regional Government of Catalonia – Migration Directorate", None, {
        "title": "First reception service: language, labour and society modules",
        "summary": "Catalonia's first reception service offers every newcomer 90 hours of Catalan, 15 hours on the "
                   "labour market and 15 hours on society and rights, with a certificate that counts for residence.",
        "issue": "Newcomers lacked basic knowledge of rights and the labour market, and Catalan.",
        "how_it_works": "Municipalities deliver the modules; the certificate is recognised for residence permit "
                        "renewals.",
        "results": "About 20,000 certificates a year.",
        "evaluation_type": "external", "evaluation_indicators": "Certificates issued, employment after one year.",
        "lessons": "Linking the certificate to residence raised attendance but also the sense of obligation.",
        "transferability": "Needs regional competence in reception and agreements with municipalities.",
        "beneficiaries": "20,000 newcomers a year.", "funding": "Regional budget.",
        "start_year": 2011, "country": "ES", "city": "Barcelona", "level": "regional", "language": "es",
        "areas": ["legal-political", "socio-economic"], "topics": ["access-to-rights", "language-learning"],
        "targets": ["newcomers"]}),
    ("Ministry of Social Affairs – Integration Unit", None, {
        "title": "Integration basic education: paid work placements with language training",
        "summary": "A two-year programme combining paid work placements with language classes, paid at apprentice "
                   "wages, negotiated with employers and unions.",
        "issue": "Refugees stayed on benefits for years while employers reported labour shortages.",
        "how_it_works": "Employers hire participants at apprentice wages; 20 weeks of school over two years.",
        "results": "Two thirds of participants were in work or education a year after finishing.",
        "evaluation_type": "academic", "evaluation_indicators": "Employment and education rates one year after.",
        "lessons": "The tripartite agreement with unions made employers trust the scheme.",
        "transferability": "Needs social partners willing to agree on special wages.",
        "beneficiaries": "About 5,000 participants.", "funding": "National budget.",
        "start_year": 2016, "end_year": 2022, "country": "DK", "city": "Copenhagen", "level": "national",
        "language": "da",
        "areas": ["socio-economic"], "topics": ["employment", "language-learning"],
        "targets": ["refugees", "jobseekers"]}),
    ("Migrant Voice Network", None, {
        "title": "Media training for migrant spokespeople",
        "summary": "Migrants learn to speak to journalists about their own experience; newsrooms get a directory of "
                   "trained spokespeople on topics from health care to business.",
        "issue": "Coverage of migration quoted politicians and officials, rarely migrants themselves.",
        "how_it_works": "Two-day workshops with journalists; follow-up coaching before interviews.",
        "results": "300 spokespeople trained; more than 900 media appearances.",
        "evaluation_type": "internal",
        "lessons": "Journalists used the directory when it was organised by topic, not by "
                   "nationality.",
        "transferability": "Needs partner journalists who give time to the training.",
        "beneficiaries": "300 spokespeople.", "funding": "Foundations.",
        "start_year": 2012, "country": "GB", "city": "London", "level": "national", "language": "en",
        "areas": ["cultural", "legal-political"], "topics": ["media", "empowerment", "public-perceptions"],
        "targets": ["newcomers", "second-generation"]}),
    ("Refugee Housing Alliance", None, {
        "title": "Shared housing with young locals in vacant office buildings",
        "summary": "Vacant office buildings are converted into housing where refugees with status and young Dutch "
                   "people live on the same corridors, with a community manager.",
        "issue": "Refugees with status waited in reception centres for scarce social housing.",
        "how_it_works": "The alliance leases buildings for ten years, converts them and selects tenants half and half.",
        "results": "1,100 homes in seven cities.",
        "evaluation_type": "external",
        "lessons": "Mixed corridors worked; mixed buildings with separate floors did not.",
        "transferability": "Needs vacant buildings and a temporary change of zoning.",
        "beneficiaries": "1,100 households.", "funding": "Housing associations and social impact investors.",
        "start_year": 2016, "country": "NL", "city": "Amsterdam", "level": "national", "language": "nl",
        "areas": ["socio-economic"], "topics": ["housing"], "targets": ["refugees", "youth"],
        "attachments": ["Shared housing for refugees and young locals: a toolkit for housing associations",
                     "City roundtable programme: housing newcomers in mid-sized cities"]}),
    ("Casa dei Diritti", None, {
        "title": "Free legal clinics for migrant workers",
        "summary": "Volunteer lawyers hold weekly clinics on labour exploitation, residence and family reunification, "
                   "and take strategic cases to court.",
        "issue": "Migrant workers in agriculture and care could not afford lawyers and did not know their rights.",
        "how_it_works": "Weekly clinics in Rome and travelling clinics in farming areas; cases are documented for "
                        "advocacy.",
        "results": "1,500 consultations a year; several court rulings on unpaid wages.",
        "evaluation_type": "self", "lessons": "Travelling clinics reached workers who never came to the city.",
        "transferability": "Needs a bar association partnership for volunteer lawyers.",
        "beneficiaries": "1,500 people a year.", "funding": "Donations and a foundation grant.",
        "start_year": 2013, "country": "IT", "city": "Rome", "level": "local", "language": "it",
        "areas": ["legal-political"], "topics": ["access-to-rights", "anti-discrimination", "family-reunification"],
        "targets": ["undocumented", "jobseekers"]}),
    ("Youth Without Borders", None, {
        "title": "Youth councils for second-generation and newcomer teenagers",
        "summary": "Teenagers in Marseille's northern districts run their own youth council, choose projects and "
                   "present them to the city council.",
        "issue": "Young people in the northern districts felt ignored by local politics.",
        "how_it_works": "Elections in schools; a yearly budget of €30,000 decided by the council.",
        "results": "Eleven projects funded, from a skate park to a homework café.",
        "evaluation_type": "internal", "lessons": "A real budget made participation worth it for teenagers.",
        "transferability": "Needs schools as partners for the elections.",
        "beneficiaries": "400 young people.", "funding": "Region and city.",
        "start_year": 2019, "country": "FR", "city": "Marseille", "level": "regional", "language": "fr",
        "areas": ["legal-political", "cultural"], "topics": ["political-participation", "empowerment"],
        "targets": ["youth", "second-generation"]}),
    ("Women's Integration Initiative", None, {
        "title": "Entrepreneurship school for migrant women",
        "summary": "A six-month course takes migrant women from a business idea to a registered company, with "
                   "childcare during classes and micro-loans.",
        "issue": "Migrant women had the lowest employment rate of any group in Malmö.",
        "how_it_works": "Weekly classes, a personal business mentor and access to a micro-loan fund.",
        "results": "140 businesses registered; 70% still trading after three years.",
        "evaluation_type": "external", "evaluation_indicators": "Businesses registered and surviving after 3 years.",
        "lessons": "Childcare during classes was the single most important factor for attendance.",
        "transferability": "Needs a micro-loan partner.",
        "beneficiaries": "400 women.", "funding": "European Social Fund and a bank foundation.",
        "start_year": 2015, "country": "SE", "city": "Malmö", "level": "local", "language": "sv",
        "areas": ["socio-economic"], "topics": ["entrepreneurship", "employment"],
        "targets": ["women", "entrepreneurs"]}),
    ("Intercultural Dialogue Centre", None, {
        "title": "Living library in schools: meet a person, not a prejudice",
        "summary": "Pupils 'borrow' a person — a refugee doctor, a Roma teacher, a Ukrainian student — for a "
                   "30-minute conversation instead of a book.",
        "issue": "Surveys showed rising hostility towards migrants among teenagers.",
        "how_it_works": "Trained 'books' visit schools; teachers prepare and debrief the sessions.",
        "results": "12,000 pupils took part; attitude surveys show lasting changes.",
        "evaluation_type": "academic", "evaluation_indicators": "Attitude scales before, after and six months later.",
        "lessons": "Short, personal conversations changed more than lectures.",
        "transferability": "Easy to replicate with volunteer 'books' and teacher training.",
        "beneficiaries": "12,000 pupils.", "funding": "EEA and Norway Grants.",
        "start_year": 2017, "country": "PL", "city": "Warsaw", "level": "national", "language": "pl",
        "areas": ["cultural"], "topics": ["tolerance-of-diversity", "intercultural-dialogue"],
        "targets": ["youth", "host-community"]}),
    ("Institute for Urban Diversity Studies", None, {
        "title": "Neighbourhood diversity monitor co-produced with residents",
        "summary": "Residents and researchers measure how people of different backgrounds meet in public spaces, "
                   "and the city uses the results to redesign squares and libraries.",
        "issue": "Policies on social cohesion lacked local data about everyday encounters.",
        "how_it_works": "Resident researchers observe and interview in 20 public spaces twice a year.",
        "results": "Three squares redesigned; libraries changed opening hours after the findings.",
        "evaluation_type": "academic", "lessons": "Resident researchers gained access researchers alone never had.",
        "transferability": "Needs a university partner and a city willing to act on the data.",
        "beneficiaries": "Residents of four districts.", "funding": "Research council and the city.",
        "start_year": 2020, "country": "NL", "city": "Rotterdam", "level": "local", "language": "nl",
        "areas": ["cultural"], "topics": ["everyday-interaction", "public-perceptions"],
        "targets": ["host-community"]}),
    ("Nordic Integration Research Lab", None, {
        "title": "Mapping newcomer pupils' prior schooling in their own language",
        "summary": "Schools assess what newcomer pupils already know in maths and reading in their first language, "
                   "so they are placed by ability, not by Norwegian.",
        "issue": "Newcomer pupils were placed in classes far below their level.",
        "how_it_works": "Bilingual teachers run a standard assessment in 15 languages within the first month.",
        "results": "Fewer pupils repeat years; placement decisions changed for a third of pupils.",
        "evaluation_type": "academic", "lessons": "Teachers needed training to trust the assessment results.",
        "transferability": "Assessment materials are openly available; bilingual staff are the bottleneck.",
        "beneficiaries": "3,000 pupils.", "funding": "Research council of Norway.",
        "start_year": 2018, "country": "NO", "city": "Oslo", "level": "regional", "language": "no",
        "areas": ["socio-economic"], "topics": ["education"], "targets": ["children", "newcomers"]}),
    ("Cities of Migration Foundation", None, {
        "title": "Library settlement partnerships: newcomer services in public libraries",
        "summary": "Settlement workers hold office hours in public libraries, where newcomers already go, helping "
                   "with housing, jobs and school enrolment.",
        "issue": "Newcomers did not find settlement agencies but did visit libraries.",
        "how_it_works": "Agencies place staff in 50 library branches; libraries host conversation circles.",
        "results": "100,000 contacts a year across participating libraries.",
        "evaluation_type": "external", "lessons": "Libraries are trusted, neutral spaces; services there reached women "
                           "and older newcomers especially.",
        "transferability": "Needs a library system and settlement agencies willing to share space and data.",
        "beneficiaries": "100,000 contacts a year.", "funding": "Federal settlement funding.",
        "start_year": 2007, "country": "CA", "city": "Toronto", "level": "local", "language": "en",
        "areas": ["socio-economic", "cultural"], "topics": ["access-to-rights", "everyday-interaction"],
        "targets": ["newcomers", "women", "older-people"]}),
    ("Welcoming America Network", None, {
        "title": "Welcoming Week: a national week of events that bring neighbours together",
        "summary": "Every September, hundreds of towns hold events that bring newcomers and long-time residents "
                   "together, from potlucks to citizenship fairs.",
        "issue": "Public debate about immigration was polarised and local voices in favour of welcoming were quiet.",
        "how_it_works": "A toolkit, messaging guidance and small grants for local organisers.",
        "results": "Over 2,000 events in a year in 500 communities.",
        "evaluation_type": "self", "lessons": "Events led by local institutions (mayors, sheriffs, churches) drew "
                           "people who would not come to an NGO event.",
        "transferability": "The toolkit is free; needs a local coalition.",
        "beneficiaries": "Communities across the country.", "funding": "Foundations.",
        "start_year": 2012, "country": "US", "city": "Decatur", "level": "national", "language": "en",
        "areas": ["cultural"], "topics": ["everyday-interaction", "public-perceptions"],
        "targets": ["host-community"]}),
]

# A few still in review, so the moderator has a queue.
IN_REVIEW: list[tuple[str, str | None, dict]] = [
    ("Welcome Bridges e.V.", "ngo@demo.crossroads.example", {
        "title": "Neighbourhood mothers: peer outreach to isolated families",
        "summary": "Trained mothers of migrant origin visit families in their neighbourhood and explain schools, "
                   "health services and parenting support in the families' languages.",
        "issue": "Isolated families did not use kindergartens, health check-ups or parenting services.",
        "how_it_works": "A six-month training for the mothers, then paid part-time home visits.",
        "start_year": 2021, "country": "DE", "city": "Berlin", "level": "local", "language": "de",
        "areas": ["socio-economic"], "topics": ["health", "education"], "targets": ["women", "families"]}),
    ("Comune di Milano – Migrant Services", "admin@demo.crossroads.example", {
        "title": "Night school for the Italian driving licence in Arabic and Bangla",
        "summary": "Evening theory classes for the driving licence with bilingual teachers open up jobs in delivery "
                   "and transport.",
        "start_year": 2023, "country": "IT", "city": "Milan", "level": "local", "language": "it",
        "areas": ["socio-economic"], "topics": ["employment"], "targets": ["jobseekers"]}),
    ("Youth Without Borders", None, {
        "title": "Street football for girls in the northern districts",
        "summary": "Weekly street football sessions for girls aged 10 to 16, led by young women from the same "
                   "districts.",
        "start_year": 2022, "country": "FR", "city": "Marseille", "level": "local", "language": "fr",
        "areas": ["cultural"], "topics": ["sport-and-culture"], "targets": ["youth", "women"]}),
]

# Replications: (practice title, replicating organisation, place, country, year, note).
REPLICATIONS = [
    ("Anti-rumours strategy: training citizens to counter prejudice in everyday conversation",
     "Ville de Lyon – Mission Égalité", "Lyon", "FR", 2016, "Adapted with a focus on the labour market."),
    ("Anti-rumours strategy: training citizens to counter prejudice in everyday conversation",
     "Bergamo Municipality – Social Cohesion", "Bergamo", "IT", 2018, ""),
    ("Language buddies: practising Dutch with a neighbour", "City of Vienna – Department for Integration and "
     "Diversity", "Vienna", "AT", 2019, "Run as 'Sprachpartnerschaften' in German."),
    ("Library settlement partnerships: newcomer services in public libraries", None, "Hamilton", "CA", 2012, ""),
]


def _pdf(lines: list[str]) -> bytes:
    """A small valid PDF of one page showing `lines`, with a correct cross-reference table."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 11 Tf 56 780 Td 15 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    stream = zlib.compress(text.encode("latin-1", "replace"))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


ROUNDTABLE_PROGRAMME = [
    "City roundtable: housing newcomers in mid-sized cities",
    "Eurocities Migration Working Group - Ghent, 12 March 2026",
    "",
    "09:30  Welcome by the host city",
    "09:45  Where newcomers live: data from twelve cities (Migration Policy Research Institute)",
    "10:30  Roundtable 1: shared housing with young locals - Amsterdam and Utrecht",
    "11:30  Roundtable 2: private landlords and guarantee funds - Milan and Lisbon",
    "12:30  Lunch",
    "13:30  Site visit: a converted office building",
    "15:30  What we take home: commitments of each city",
    "16:30  Close",
]
RESEARCH_PAPER = [
    "Migration and the labour market: evidence from twelve European cities",
    "Migration Policy Research Institute - Working paper 2025/3",
    "",
    "Summary",
    "We follow 40,000 newcomers who arrived between 2015 and 2019 in twelve cities.",
    "Employment five years after arrival ranges from 38% to 71%.",
    "Early language courses and recognition of qualifications explain most of the gap.",
    "Cities that combined both within the first year saw the highest employment.",
]

# Resources: (publisher, fields, PDF lines to upload or None).
RESOURCES: list[tuple[str, dict, list[str] | None]] = [
    ("Migration Policy Research Institute", {
        "title": "Migration and the labour market: evidence from twelve European cities", "kind": "research",
        "authors": "Elif Yılmaz, Pieter Bakker", "year": 2025, "language": "en",
        "summary": "A working paper following 40,000 newcomers in twelve cities for five years after arrival. "
                   "Employment ranges from 38% to 71%; early language courses and **recognition of qualifications** "
                   "explain most of the difference.",
        "url": "", "areas": ["socio-economic"], "topics": ["employment", "skills-recognition", "language-learning"]},
     RESEARCH_PAPER),
    ("Eurocities Migration Working Group", {
        "title": "City roundtable programme: housing newcomers in mid-sized cities", "kind": "programme",
        "authors": "", "year": 2026, "language": "en",
        "summary": "The programme of a one-day roundtable of city officials on housing newcomers: data from twelve "
                   "cities, shared housing, guarantee funds for private landlords, and a site visit.",
        "url": "https://example.org/eurocities/roundtable-housing-2026", "areas": ["socio-economic"],
        "topics": ["housing"]},
     ROUNDTABLE_PROGRAMME),
    ("Intercultural Cities Programme", {
        "title": "The intercultural city step by step: a practical guide", "kind": "guideline",
        "authors": "Intercultural Cities secretariat", "year": 2021, "language": "en",
        "summary": "How a city builds an intercultural strategy: leadership, public spaces, services, the economy "
                   "and citizen participation, with checklists and city examples.",
        "url": "https://example.org/icc/step-by-step", "areas": ["cultural"],
        "topics": ["intercultural-dialogue", "public-perceptions"]}, None),
    ("Ajuntament de Barcelona – Interculturality Programme", {
        "title": "Anti-rumours handbook for local agents", "kind": "toolkit", "authors": "Daniel de Torres",
        "year": 2018,
        "language": "es",
        "summary": "Exercises, facts and dialogue techniques to answer the most common rumours about migrants.",
        "url": "https://example.org/barcelona/antirumors-handbook", "areas": ["cultural"],
        "topics": ["public-perceptions", "tolerance-of-diversity"]}, None),
    ("UN Network on Migration – Secretariat", {
        "title": "Implementing the Global Compact for Migration: guidance for local governments", "kind": "policy",
        "authors": "", "year": 2022, "language": "en",
        "summary": "How cities can contribute to and report on the Global Compact's objectives, from access to "
                   "services to data collection.",
        "url": "https://example.org/un-migration/local-guidance", "areas": ["legal-political", "socio-economic"],
        "topics": ["access-to-rights"]}, None),
    ("Nordic Integration Research Lab", {
        "title": "Webinar recording: recognising foreign qualifications faster", "kind": "recording",
        "authors": "Ingrid Larsen, Omar Haddad", "year": 2024, "language": "en",
        "summary": "A 90-minute webinar comparing recognition procedures in Norway, Sweden and Denmark, with "
                   "questions from practitioners.",
        "url": "https://example.org/nirl/webinar-recognition", "areas": ["socio-economic"],
        "topics": ["skills-recognition"]}, None),
    ("Refugee Housing Alliance", {
        "title": "Shared housing for refugees and young locals: a toolkit for housing associations", "kind": "toolkit",
        "authors": "", "year": 2022, "language": "nl",
        "summary": "Selecting tenants, community management and converting vacant buildings, from seven projects.",
        "url": "https://example.org/rha/toolkit", "areas": ["socio-economic"], "topics": ["housing"]}, None),
    ("Centre on Migration, Policy and Society", {
        "title": "Non-citizens at the ballot box: local voting rights in comparative perspective", "kind": "research",
        "authors": "Hannah Moreau, Kwame Mensah", "year": 2020, "language": "en",
        "summary": "A comparison of local voting rights for non-citizens in 25 countries and their effect on "
                   "turnout and political participation.",
        "url": "https://example.org/compas/local-voting", "areas": ["legal-political"],
        "topics": ["political-participation", "citizenship"]}, None),
    ("City of Vienna – Department for Integration and Diversity", {
        "title": "Leitfaden für mehrsprachige Information der Stadtverwaltung", "kind": "guideline",
        "authors": "", "year": 2023, "language": "de",
        "summary": "Wie die Stadtverwaltung Informationen in mehreren Sprachen verständlich und einheitlich "
                   "veröffentlicht.",
        "url": "https://example.org/wien/leitfaden-mehrsprachigkeit", "areas": ["socio-economic"],
        "topics": ["access-to-rights", "language-learning"]}, None),
    ("Ville de Lyon – Mission Égalité", {
        "title": "Guide de prévention des discriminations à l'embauche", "kind": "policy", "authors": "", "year": 2021,
        "language": "fr",
        "summary": "Recommandations pour les employeurs : annonces, sélection des candidatures, entretiens et "
                   "suivi des recrutements.",
        "url": "https://example.org/lyon/guide-discriminations", "areas": ["legal-political"],
        "topics": ["anti-discrimination", "employment"]}, None),
    ("Welcoming America Network", {
        "title": "The Welcoming Standard: a framework for inclusive communities", "kind": "guideline", "authors": "",
        "year": 2019, "language": "en",
        "summary": "Benchmarks for local governments on civic engagement, equitable access, education, economic "
                   "development and safe communities.",
        "url": "https://example.org/welcoming/standard", "areas": ["cultural", "legal-political"],
        "topics": ["tolerance-of-diversity", "access-to-rights"]}, None),
    ("City of Toronto – Newcomer Office", {
        "title": "Toronto Newcomer Strategy: progress report", "kind": "policy", "authors": "", "year": 2022,
        "language": "en",
        "summary": "Progress on the city's newcomer strategy: access to services regardless of status, "
                   "employment, and the newcomer leadership table.",
        "url": "https://example.org/toronto/newcomer-strategy-report", "areas": ["legal-political", "socio-economic"],
        "topics": ["access-to-rights", "employment"]}, None),
]


# Versions of practices in other languages: (the original's title, the translator: an e-mail or the name of
# the organisation whose first admin translates, the language, the translated text). Published after review.
TRANSLATIONS: list[tuple[str, str, str, dict]] = [
    ("Testing for discrimination in hiring with local employers", "Ville de Lyon – Mission Égalité", "fr", {
        "title": "Tester la discrimination à l’embauche avec les employeurs du territoire",
        "summary": "Lyon mène des tests de situation avec des CV appariés, puis travaille avec les employeurs testés "
                   "pour changer leur recrutement, plutôt que de seulement les désigner.",
        "issue": "Les candidats portant un nom maghrébin recevaient beaucoup moins d’invitations à un entretien que "
                 "des candidats à qualification égale.",
        "how_it_works": "Des paires de CV qui ne diffèrent que par le nom sont envoyées en réponse à des offres "
                        "d’emploi ; les résultats sont communiqués confidentiellement à chaque employeur, puis ses "
                        "recruteurs sont formés.",
        "results": "Les employeurs participants ont réduit de deux tiers l’écart de rappels en deux ans.",
        "evaluation_indicators": "Taux de rappel selon le nom, avant et après la formation.",
        "lessons": "Un retour confidentiel a rendu les employeurs coopératifs ; la désignation publique les faisait "
                   "refuser.",
        "transferability": "Il faut une base légale pour les tests et une université partenaire pour les "
                           "statistiques.",
        "beneficiaries": "Demandeurs d’emploi issus de l’immigration ; 60 employeurs.",
        "funding": "Ville de Lyon et le Défenseur des droits."}),
    ("Anti-rumours strategy: training citizens to counter prejudice in everyday conversation",
     "Ajuntament de Barcelona – Interculturality Programme", "es", {
        "title": "Estrategia antirumores: formar a la ciudadanía para desmontar prejuicios en la conversación "
                 "cotidiana",
        "summary": "Barcelona forma a voluntarios, comerciantes y personal público como agentes antirumores que "
                   "responden a los mitos habituales sobre las personas migrantes con datos y empatía, allí donde "
                   "circulan los rumores.",
        "issue": "Rumores como «los inmigrantes tienen prioridad en la vivienda social» se propagaban en bares, "
                 "mercados y salas de espera y deterioraban la convivencia en los barrios diversos.",
        "how_it_works": "Una red de 1.000 entidades y personas comparte materiales, cómics y un catálogo de rumores "
                        "con los datos que los desmienten. Los agentes siguen un curso de 12 horas sobre técnicas de "
                        "diálogo.",
        "results": "Más de 2.000 agentes formados; decenas de ciudades de Europa y de otros continentes han "
                   "adoptado el método.",
        "lessons": "Los datos por sí solos rara vez convencen; los agentes lo logran cuando primero escuchan y "
                   "comparten historias personales.",
        "transferability": "Empezar por un mapa local de rumores: cambian de una ciudad a otra.",
        "beneficiaries": "Vecinos y vecinas de todos los distritos; 2.000 agentes formados.",
        "funding": "Presupuesto municipal."}),
    ("Plan Einstein: newcomers and neighbours learning together from day one", "newcomer@demo.crossroads.example",
     "ar", {
        "title": "خطة أينشتاين: القادمون الجدد والجيران يتعلّمون معًا منذ اليوم الأول",
        "summary": "تقاسم طالبو اللجوء وشباب مستأجرون من أهل المدينة موقع استقبال في حي أوفرفيخت في أوترخت، "
                   "وتابعوا معًا دورات في اللغة الإنجليزية وريادة الأعمال والمهارات الاجتماعية، أيًّا كانت نتيجة طلب "
                   "اللجوء.",
        "issue": "كانت مراكز الاستقبال تُبقي طالبي اللجوء في الانتظار أشهرًا دون لغة أو عمل أو صلة بالمدينة، "
                 "وكان الجيران يعارضون افتتاح مركز جديد في حيّهم.",
        "how_it_works": "- استأجر شباب من أهل المدينة شققًا في الموقع نفسه الذي يضم مركز الاستقبال.\n"
                        "- كانت دورات اللغة الإنجليزية وريادة الأعمال مفتوحة لسكان المركز *ولسكان الحي*.\n"
                        "- ربط منسّق بين المشاركين والمؤسسات التجارية المحلية والمتطوعين.",
        "results": "بنى المشاركون شبكات علاقات في المدينة قبل حصولهم على الإقامة، وتحوّلت معارضة الحي إلى "
                   "إقبال الجيران على المقهى والدورات المشتركة.",
        "lessons": "نجح السكن المشترك حيث كانت الإدارة حاضرة في الموقع يوميًا، واجتذبت الدورات المعتمدة "
                   "بشهادات مشاركين أكثر من الأنشطة غير الرسمية.",
        "beneficiaries": "نحو 400 من طالبي اللجوء و40 من الشباب المستأجرين من أهل المدينة.",
        "funding": "مبادرة الأعمال الحضرية المبتكرة للاتحاد الأوروبي وميزانية المدينة."}),
    ("Plan Einstein: newcomers and neighbours learning together from day one", "Youth Without Borders", "fr", {
        "title": "Plan Einstein : nouveaux arrivants et voisins apprennent ensemble dès le premier jour",
        "summary": "À Utrecht, dans le quartier d’Overvecht, des demandeurs d’asile et de jeunes locataires du "
                   "quartier ont partagé un site d’accueil et suivi ensemble des cours d’anglais, d’entrepreneuriat "
                   "et de compétences sociales, quelle que soit l’issue de la demande d’asile.",
        "issue": "Les centres d’accueil faisaient attendre les demandeurs d’asile des mois durant, sans langue, sans "
                 "travail ni lien avec la ville, et les riverains s’opposaient à un nouveau centre.",
        "how_it_works": "- De jeunes habitants louaient des logements sur le même site que le centre d’accueil.\n"
                        "- Les cours d’anglais et d’entrepreneuriat étaient ouverts aux résidents du centre *et* du "
                        "quartier.\n- Un coordinateur mettait les participants en relation avec des entreprises et "
                        "des bénévoles du quartier.",
        "results": "Les participants se sont constitué un réseau en ville avant même d’obtenir un statut ; "
                   "l’opposition du quartier a laissé place à des voisins fréquentant le café et les cours communs.",
        "beneficiaries": "Environ 400 demandeurs d’asile et 40 jeunes locataires du quartier.",
        "funding": "Actions innovatrices urbaines de l’UE et budget municipal."}),
]


def _translator(who: str) -> User:
    if "@" in who:
        return User.objects.get(email=who)
    return _author(Organisation.objects.get(name=who), None)


def _translation(original_title: str, who: str, language: str, texts: dict, moderator: User) -> None:
    original = Practice.objects.get(title=original_title, translation_of=None)
    if original.translations.filter(language=language).exists():
        return
    translator = _translator(who)
    version = services.translate_practice(translator=translator, original=original, language=language,
                                          submit=True, **texts)
    services.publish_practice(actor=moderator, practice=version, note="")


def _author(organisation: Organisation, email: str | None) -> User:
    if email:
        return User.objects.get(email=email)
    return (Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE,
                                      role=Membership.Role.ADMIN).select_related("user").order_by("id").first().user)


def _practice(organisation_name: str, email: str | None, spec: dict) -> Practice:
    existing = Practice.objects.filter(title=spec["title"]).first()
    if existing is not None:
        return existing
    spec = dict(spec)
    areas, topics, targets = spec.pop("areas"), spec.pop("topics"), spec.pop("targets")
    attachments = Resource.objects.filter(title__in=spec.pop("attachments", []))
    organisation = Organisation.objects.get(name=organisation_name)
    return services.create_practice(
        author=_author(organisation, email), organisation=organisation, resources=attachments,
        policy_areas=PolicyArea.objects.filter(code__in=areas), topics=Topic.objects.filter(slug__in=topics),
        target_groups=TargetGroup.objects.filter(slug__in=targets), **spec)


def _resource(publisher_name: str, spec: dict, pdf_lines: list[str] | None) -> Resource:
    existing = Resource.objects.filter(title=spec["title"]).first()
    if existing is not None:
        return existing
    spec = dict(spec)
    areas, topics = spec.pop("areas"), spec.pop("topics")
    publisher = Organisation.objects.get(name=publisher_name)
    upload = None
    if pdf_lines:
        name = spec["title"].split(":")[0].lower().replace(" ", "-") + ".pdf"
        upload = SimpleUploadedFile(name, _pdf(pdf_lines), content_type="application/pdf")
    return services.add_resource(actor=_author(publisher, None), publisher=publisher, upload=upload,
                                 policy_areas=PolicyArea.objects.filter(code__in=areas),
                                 topics=Topic.objects.filter(slug__in=topics), **spec)


@transaction.atomic
def build(stdout=None) -> None:
    moderator = User.objects.get(email=MODERATOR)
    for publisher, spec, pdf in RESOURCES:
        _resource(publisher, spec, pdf)
    for organisation_name, email, spec in PRACTICES:
        practice = _practice(organisation_name, email, spec)
        if practice.status == Practice.Status.DRAFT:
            services.submit_practice(actor=practice.author, practice=practice)
            services.publish_practice(actor=moderator, practice=practice, note="Thank you: clear and complete.")
    for organisation_name, email, spec in IN_REVIEW:
        practice = _practice(organisation_name, email, spec)
        if practice.status == Practice.Status.DRAFT:
            services.submit_practice(actor=practice.author, practice=practice)

    for original_title, who, language, texts in TRANSLATIONS:
        _translation(original_title, who, language, texts, moderator)

    for title, organisation_name, place, country, year, note in REPLICATIONS:
        practice = Practice.objects.get(title=title)
        organisation = Organisation.objects.get(name=organisation_name) if organisation_name else None
        if practice.replications.filter(place=place).exists():
            continue
        actor = _author(organisation, None) if organisation else moderator
        services.record_replication(actor=actor, practice=practice, organisation=organisation, place=place,
                                    country=country, year=year, note=note)
