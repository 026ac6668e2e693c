from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from usuarios.views import LoginView

app_name = "usuarios"

urlpatterns = [
    path("entrar/", LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "contrasena/",
        auth_views.PasswordChangeView.as_view(
            template_name="usuarios/password_change.html",
            success_url=reverse_lazy("usuarios:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "contrasena/hecho/",
        auth_views.PasswordChangeDoneView.as_view(template_name="usuarios/password_change_done.html"),
        name="password_change_done",
    ),
]
