"""Remove temporary export files that killed processes left behind (run at start-up)."""

from django.core.management.base import BaseCommand

from escape_events.core.scratch import scratch_folder, sweep_scratch


class Command(BaseCommand):
    help = (
        "Remove temporary export files left in SCRATCH_DIR by killed processes. Run it at "
        "start-up, before the app servers (make run and make prod do), never beside them."
    )

    def handle(self, *args, **options):
        removed = sweep_scratch()
        if options["verbosity"]:
            self.stdout.write(f"{removed} leftover file(s) removed from {scratch_folder()}.")
