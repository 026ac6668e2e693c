import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email


class Command(BaseCommand):
    help = (
        "Creates a teacher account (not staff: no admin) and prints a one-off password to hand over; "
        "with --email, the teacher can also recover it from «¿Has olvidado tu contraseña?»."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, email, first_name, last_name, **options):
        User = get_user_model()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"{email!r} is not an email address.") from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already a user called {username!r}.")
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        password = secrets.token_urlsafe(9)
        validate_password(password, user)
        user.set_password(password)
        try:
            user.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        user.save()
        self.stdout.write(f"Teacher {username!r} created. Password: {password}")
        self.stdout.write("They can change it once logged in (their name in the menu, top right).")
