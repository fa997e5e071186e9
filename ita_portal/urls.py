from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .health import health
from .sessions import LoginView, alive

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", health, name="health"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/alive/", alive, name="session_alive"),
    path("", include("assessments.urls")),
    path("", include("measures.urls")),
    path("", include("reports.urls")),
]

# Thai error pages: 404.html, 403.html and 500.html are found by name; 400 explains an over-size POST.
handler400 = "ita_portal.security.bad_request"
