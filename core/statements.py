"""Querysets of a fixed shape, compiled to SQL once per database connection and run with each request's values.

Building a queryset and compiling it (filter(), select_related(), as_sql()) costs more CPU than PostgreSQL spends
answering a small indexed query: ~0.3-0.6 ms a statement on the messenger's conversation page, which asks the same
few statements on every request with other numbers. A `Statement` is a function of integers (ids) that returns a
queryset; the first run on a connection builds it with stand-in values, compiles it and notes where each value
goes among the statement's parameters; every later run executes that SQL with the new values and makes the rows
into objects as the ORM does (select_related's objects, annotations, deferred fields, the database's converters),
or into tuples for a `values_list()` queryset. accounts.models.UserManager.get does the same for the session's user.

The queryset must depend on its arguments alone (no clock, no setting read at build time): any other value in its
parameters is kept as it was at the first run. Each argument must be an integer and appear in the SQL as a
parameter (an id, a bound), not as a LIMIT.
"""

import inspect
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# The stand-in values: integers within any integer column's range, unlike anything a statement compares with.
_STAND_IN = 2_100_000_000


class Statement:
    def __init__(self, model: type, build: Callable[..., QuerySet]) -> None:
        """`build(*ids)` returns a queryset of `model` (which says what database it is read from)."""
        self.model, self.build = model, build
        self.arity = len(inspect.signature(build).parameters)

    def _compiled(self, using: str) -> tuple:
        connection = connections[using]
        # Per connection (a test's database, another alias) and per statement object.
        statements = connection.__dict__.setdefault("_crossroads_statements", {})
        compiled = statements.get(self)
        if compiled is not None:
            return compiled
        stand_ins = [_STAND_IN + 7 * n for n in range(self.arity)]
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        sources = [stand_ins.index(p) if isinstance(p, int) and p in stand_ins else None for p in params]
        missing = set(range(self.arity)) - set(sources)
        if missing:
            raise ValueError(f"Arguments {sorted(missing)} are not parameters of the statement: {sql}")
        columns = compiler.select[:compiler.col_count]
        converters = compiler.get_converters([column[0] for column in columns])
        klass_info = compiler.klass_info
        if queryset._iterable_class.__name__ == "ModelIterable":
            model, fields = klass_info["model"], klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            shape = (model, start, end, [column[0].target.attname for column in compiler.select[start:end]],
                     get_related_populators(klass_info, compiler.select, using), compiler.annotation_col_map)
        elif queryset._iterable_class.__name__ == "ValuesListIterable":
            shape = None
        else:
            raise ValueError("A statement is a queryset of objects or of values_list() tuples.")
        compiled = statements[self] = (sql, [(source, p) for source, p in zip(sources, params, strict=True)],
                                       compiler, converters, shape)
        return compiled

    def rows(self, *args: int) -> list[Any]:
        """The statement's objects (or tuples) for `args`: what `list(build(*args))` gives."""
        assert len(args) == self.arity and all(isinstance(arg, int) for arg in args), args
        using = router.db_for_read(self.model)
        sql, params, compiler, converters, shape = self._compiled(using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [param if source is None else args[source] for source, param in params])
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        if shape is None:
            return [tuple(row) for row in rows]
        model_class, start, end, names, populators, annotations = shape
        objects = []
        for row in rows:
            obj = model_class.from_db(using, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects
