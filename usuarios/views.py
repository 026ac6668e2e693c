from django.contrib.auth import views as auth_views

from usuarios.forms import LoginForm


class LoginView(auth_views.LoginView):
    """The teachers' login, with a lockout after repeated failures (django-axes, usuarios/forms.py)."""

    template_name = "usuarios/login.html"
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response
