from django.core.management.base import BaseCommand, CommandError

from shequ.audit.chain import verify


class Command(BaseCommand):
    help = (
        "Seal pending audit rows, then check the whole chain: an edited, deleted or inserted row fails the "
        "command (exit status 1). Prints the head of the chain, to be noted down outside the database."
    )

    def handle(self, *args, **options):
        report = verify()
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"audit chain: {report.rows} rows checked, from {report.first_seq or '-'} to {report.head_seq}; "
            f"head {report.head_hash}"
        )
        if not report.ok:
            raise CommandError(f"审计日志校验未通过：发现{len(report.problems)}处问题。")
        self.stdout.write("审计日志完整。")
