from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from preguntas.game import formats
from preguntas.game.csv_files import MAX_BYTES


class Command(BaseCommand):
    help = (
        "Imports questions from a file in any of the bank's formats (our CSV, Moodle GIFT or XML, Aiken, "
        "Kahoot's .xlsx template), found out from the file. Without --propietario they are shared questions, "
        "in every teacher's bank. Prints what was created and what was left out, with the reasons."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--propietario", metavar="USERNAME", help="the teacher who owns the questions")

    def handle(self, *args, file, propietario, **options):
        owner = None
        if propietario:
            owner = get_user_model().objects.filter(username=propietario).first()
            if owner is None:
                raise CommandError(f"There is no user called {propietario!r}.")
        path = Path(file)
        try:
            with path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        result = formats.import_file(owner, path.name, data)
        if result.error:
            raise CommandError(result.error)
        whose = f"{owner.get_username()}'s" if owner else "shared"
        self.stdout.write(f"{result.format_name}: {len(result.items)} created as {whose} questions, "
                          f"{len(result.skipped)} left out.")
        for item in result.items:
            self.stdout.write(f"  + {result.unit.name(item.where)} [{item.kind_name}] {item.text}")
        for skipped in result.skipped:
            self.stdout.write(f"  - {result.unit.name(skipped.where)}: {skipped.text or '—'}")
            for reason in skipped.reasons:
                self.stdout.write(f"      {reason}")
