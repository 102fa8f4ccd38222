"""Accent- and case-folded text matching: "integration" finds "intégration" and "INTÉGRATION".

`field__folded_contains=word` is the plain-search lookup every app uses outside PostgreSQL's full-text
search. On SQLite it compares both sides through `crossroads_fold`, a function registered on each new
connection; elsewhere it is `icontains`.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField
from django.db.models.lookups import IContains

SQL_FUNCTION = "crossroads_fold"


def fold(text: str | None) -> str | None:
    """`text` without accents and case: decomposed, combining marks dropped, case-folded ("ß" is "ss")."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, fold, deterministic=True)


class FoldedContains(IContains):
    lookup_name = "folded_contains"

    def as_sql(self, compiler, connection):
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        # The pattern's LIKE escapes (backslashes) and wildcards survive folding unchanged.
        return (f"{SQL_FUNCTION}({lhs_sql}) LIKE {rhs_sql} ESCAPE '\\'",
                (*lhs_params, *[fold(p) for p in rhs_params]))


def install() -> None:
    CharField.register_lookup(FoldedContains)
    TextField.register_lookup(FoldedContains)
    connection_created.connect(register_sqlite_function, dispatch_uid="core.folding")
