import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from usuarios.lockout import seconds_left


class LockoutLoginMixin:
    """Refuse a login while django-axes holds its (username, address) locked.

    The lock is checked before the password, so a locked account answers the same
    whether or not the password is right, and whether or not the user exists. Axes
    counts the failures (AxesStandaloneBackend and its signal handlers).
    """

    locked = False

    def clean_username(self):
        """No longer than a username can be (Django's form only says so to the browser): a longer one
        is a wrong login, never counted."""
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        credentials = get_credentials(username)
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            self.locked = True
            n = max(1, math.ceil(seconds_left(self.request, credentials) / 60))
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
            return super().clean()
        finally:
            # The failure that reaches the limit still reads as a wrong password, and the lock
            # shows from the next attempt on, here: nothing for AxesMiddleware to replace.
            self.request.axes_locked_out = False


class LoginForm(LockoutLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutLoginMixin, AdminAuthenticationForm):
    pass
