from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from usuarios.views import LoginView, PasswordResetView

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
    path("contrasena/olvidada/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "contrasena/olvidada/enviada/",
        auth_views.PasswordResetDoneView.as_view(template_name="usuarios/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "contrasena/nueva/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="usuarios/password_reset_confirm.html",
            success_url=reverse_lazy("usuarios:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "contrasena/nueva/hecho/",
        auth_views.PasswordResetCompleteView.as_view(template_name="usuarios/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "contrasena/hecho/",
        auth_views.PasswordChangeDoneView.as_view(template_name="usuarios/password_change_done.html"),
        name="password_change_done",
    ),
]
