"""The floor of the registration race: the least a Django app on PostgreSQL must do per request.

Benchmark-only, never part of the product. Database sessions, CSRF and auth middleware, and one
view that locks the event row, counts the confirmed rows and inserts one; another that shows the
event page. `benchmarks/registration_race.py` serves it with the same gunicorn setup as the product
and races both in the same run.
"""
