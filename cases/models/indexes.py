"""Index classes that PostgreSQL and SQLite (the development default) can both create."""

from __future__ import annotations

from django.db import models
from django.db.models import OrderBy


class NullsOrderIndex(models.Index):
    """An index on expressions ordered with NULLS FIRST / NULLS LAST (the case lists' sorts, matched by
    PostgreSQL's planner only when the index names the same NULL order).

    SQLite refuses NULLS FIRST/LAST inside CREATE INDEX ("unsupported use of NULLS FIRST"), and needs
    no such clause: it always sorts NULL first ascending and last descending. So on SQLite the index is
    created without the clause, which is the same order there only for NULLS FIRST ascending and NULLS
    LAST descending, the two orders this class accepts.
    """

    def __init__(self, *expressions, **kwargs):
        for expression in expressions:
            if isinstance(expression, OrderBy) and (
                (expression.nulls_first and expression.descending)
                or (expression.nulls_last and not expression.descending)
            ):
                raise ValueError(
                    f"{kwargs.get('name')}: SQLite cannot build this NULL order without the clause"
                )
        super().__init__(*expressions, **kwargs)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(
            *(
                OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
                for e in self.expressions
            ),
            name=self.name,
            db_tablespace=self.db_tablespace,
            opclasses=self.opclasses,
            condition=self.condition,
            include=self.include,
        )
        return plain.create_sql(model, schema_editor, using=using, **kwargs)
