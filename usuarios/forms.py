from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from usuarios.throttle import LoginThrottle, minutes


class ThrottledLoginMixin:
    """Refuse a login while its (username, address) is locked; count failed passwords.

    The lock is checked before the password, so a locked account answers the same
    whether or not the password is right, and whether or not the user exists.
    """

    locked = False

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        throttle = LoginThrottle(self.request, username)
        seconds = throttle.locked_for()
        if seconds:
            self.locked = True
            n = minutes(seconds)
            raise ValidationError(
                ngettext(
                    "Demasiados intentos fallidos. Por seguridad, espera %(n)s minuto antes de volver a intentarlo.",
                    "Demasiados intentos fallidos. Por seguridad, espera %(n)s minutos antes de volver a intentarlo.",
                    n,
                ),
                code="locked",
                params={"n": n},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.user_cache is None:  # a wrong password, not an inactive or non-staff account
                throttle.failure()
            raise
        throttle.success()
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
