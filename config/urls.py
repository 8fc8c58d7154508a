from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from cases import views as case_views
from config import health

admin.site.site_header = "數位性影像案件服務系統 管理"

urlpatterns = [
    path("", case_views.home, name="home"),
    # Answered by config.health.HealthCheckMiddleware before any other middleware; listed for reverse().
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("login/", account_views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("referrals/", include("referrals.urls")),
    path("legal/", include("legal.urls")),
    path("services/", include("services.urls")),
    path("safety/", include("safety.urls")),
    path("", include("evidence.urls")),
    path("", include("takedown.urls")),
    path("", include("cases.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
