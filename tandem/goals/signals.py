"""Events of the Goals module other modules listen to, sent inside the write's transaction
(a receiver that fails undoes the write: receivers keep to their own rows and validate first).

- `checked_in(sender=CheckIn, check_in=...)`: a check-in was recorded (kpis turns the check-ins
  of linked key results into measurements).
"""

from django.dispatch import Signal

checked_in = Signal()
