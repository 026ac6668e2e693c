from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsuariosConfig(AppConfig):
    name = "usuarios"
    verbose_name = _("Cuentas de docentes")

    def ready(self):
        # The admin's login gets the same lockout as the teachers' one.
        from django.contrib import admin

        from usuarios.forms import AdminLoginForm

        if admin.site.login_form is None:
            admin.site.login_form = AdminLoginForm
