"""The mail backend production uses as MAILERS["default"]: sending a mail stores it in the outbox
(inside the caller's transaction), and `manage.py deliver_mail` hands it to SMTP later. Every
sender (registrations, organiser messages, allauth's sign-up and password mails, the admin) goes
through it without knowing."""

from django.core.mail.backends.base import BaseEmailBackend

from . import services


class OutboxBackend(BaseEmailBackend):
    # Asked by services.send_written_later, which stores only the facts of a mail when the mailer
    # puts mails in the outbox anyway (an attribute, so that services need not import this module).
    stores_in_outbox = True

    def send_messages(self, email_messages):
        return services.store(email_messages)
