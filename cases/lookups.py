"""`__in` on integer columns answers "no match" for numbers the column cannot hold.

Django's exact and range lookups already do (IntegerFieldOverflow), but `__in` passes such a number
to the driver, and SQLite raises OverflowError on anything past 64 bits: a form's
ModelMultipleChoiceField given a 26-digit id (the admin's groups, issue 21) answered 500 instead of
「請選擇有效的選項」. Those numbers can never match a row, so they are dropped before the query.
"""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
