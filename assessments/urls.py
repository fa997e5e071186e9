from django.urls import path

from . import account_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/profile/", account_views.account, name="account"),
    path("accounts/email/<str:token>/", account_views.email_verify, name="email_verify"),
    path("accounts/reminders/", views.reminder_settings, name="reminder_settings"),
    path("o/<slug:slug>/", views.org_years, name="org"),
    path("o/<slug:slug>/<int:fy>/results/", views.results, name="results"),
    path("o/<slug:slug>/<int:fy>/results/paste/", views.results_paste, name="results_paste"),
]
