import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from usuarios.forms import LoginForm

RESET_WINDOW = 3600  # seconds


class LoginView(auth_views.LoginView):
    """The teachers' login, with a lockout after repeated failures (django-axes, usuarios/forms.py)."""

    template_name = "usuarios/login.html"
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """A forgotten password, by email. At most QRT_PASSWORD_RESETS_PER_HOUR requests per email address
    (ten times as many per client address), so that the form cannot flood a teacher's mailbox; over
    the limit the page says what it always says (it never tells whether an address has an account)
    and nothing is sent. Counted in each server process's cache."""

    template_name = "usuarios/password_reset_form.html"
    email_template_name = "usuarios/password_reset_email.txt"
    subject_template_name = "usuarios/password_reset_subject.txt"
    success_url = reverse_lazy("usuarios:password_reset_done")

    def form_valid(self, form):
        limit = settings.QRT_PASSWORD_RESETS_PER_HOUR
        email = form.cleaned_data["email"].strip().lower()
        if not (_counted("email", email, limit) and _counted("client", self.request.META.get("REMOTE_ADDR", ""), 10 * limit)):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def _counted(kind: str, value: str, limit: int) -> bool:
    """Count one request by ``value`` in the current window; False once over ``limit``."""
    key = f"qrt-password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"
    cache.add(key, 0, RESET_WINDOW)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between the two calls: a new window
        cache.set(key, 1, RESET_WINDOW)
        return True
