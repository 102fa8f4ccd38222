"""A covering index for the practice list's facet counts (PostgreSQL only): the columns the facets group and
filter by, beside the status every public count filters on, so each grouped count is an index-only scan
instead of a pass over the practice heap with its bodies (1x bench data: 'level' 67-90 ms -> 2 ms, all nine
facets of the unfiltered list ~800 -> ~120 ms under load; bench/results/FINDINGS.md, Search)."""

from django.db import migrations

from core.search import run_on_postgres

CREATE = ("CREATE INDEX IF NOT EXISTS directory_practice_facets ON directory_practice (status) "
          "INCLUDE (id, country, level, language, start_year, end_year, organisation_id)")
DROP = "DROP INDEX IF EXISTS directory_practice_facets"


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_translations")]

    operations = [migrations.RunPython(run_on_postgres(lambda: [CREATE]), run_on_postgres(lambda: [DROP]))]
