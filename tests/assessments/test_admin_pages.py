import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_demo(client, catalogue):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_every_admin_changelist_add_and_change_page_loads(admin_client_with_demo):
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = admin_client_with_demo.get(url)
        assert response.status_code == 200, url
        if model_admin.has_add_permission(type("R", (), {"user": get_user_model().objects.get(username="admin")})()):
            add = admin_client_with_demo.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
            assert add.status_code == 200, meta.model_name
        obj = model.objects.first()
        if obj is not None:
            change = admin_client_with_demo.get(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            )
            assert change.status_code == 200, meta.model_name


def test_admin_speaks_thai(admin_client_with_demo):
    response = admin_client_with_demo.get(reverse("admin:index"))
    assert "ระบบ ITA" in response.content.decode()
    assert 'lang="th"' in response.content.decode()
