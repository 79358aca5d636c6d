"""Development mail on the console, readable: the verification link must work when copied.

Django's console backend prints the wire format, which folds lines at 78 characters with
quoted-printable soft breaks ("=" at the end of a line), so a confirmation link comes out cut in
two. Folding only at the RFC's 998 characters keeps every link on one line.
"""

import email.policy

from django.core.mail.backends import console

UNFOLDED = email.policy.default.clone(max_line_length=998)


class ConsoleBackend(console.EmailBackend):
    def write_message(self, message):
        self.stream.write(message.message(policy=UNFOLDED).as_bytes().decode("utf-8"))
        self.stream.write("\n" + "-" * 79 + "\n")
