"""A covering index for the directory's facet counts and the practice list's "lead organisation" facet
(PostgreSQL only): verification with the columns they group by, so the counts read the index, not the
organisations' heap with their descriptions and vectors (bench/results/FINDINGS.md, Search)."""

from django.db import migrations

from core.search import run_on_postgres

CREATE = ("CREATE INDEX IF NOT EXISTS accounts_organisation_facets ON accounts_organisation (verified) "
          "INCLUDE (id, kind, country, level)")
DROP = "DROP INDEX IF EXISTS accounts_organisation_facets"


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_search_vectors")]

    operations = [migrations.RunPython(run_on_postgres(lambda: [CREATE]), run_on_postgres(lambda: [DROP]))]
