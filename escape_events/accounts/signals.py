"""Signals through which accounts asks the apps above it about one person.

accounts knows nobody above it, yet a person's data live in every app. Each app that keeps some
answers these signals itself, so the export and the deletion never miss an app's part:

personal_data_requested: sent by accounts.selectors.personal_data(user). Arguments: sender=User,
user=<User>. A receiver returns a dict of sections for the JSON export ({"registrations": [...]}).

account_deletion_preview: sent by accounts.selectors.deletion_preview(user) for the confirmation
page. Arguments: sender=User, user, now. A receiver returns lines saying what deleting would do in
its app (and changes nothing).

account_deleting: sent by accounts.services.delete_account inside its transaction, before the
user row is deleted. Arguments: sender=User, user, by (who deletes), now. A receiver lets go of the
person in its app (cancels places through its services, removes what is personal, keeps what
counts) and returns a list of lines saying what it did, for the confirmation mail.
"""

from django.dispatch import Signal

personal_data_requested = Signal()
account_deletion_preview = Signal()
account_deleting = Signal()
