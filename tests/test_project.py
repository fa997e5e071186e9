import subprocess
import sys

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_refuses_to_start_without_a_secret_key():
    env = {"DEBUG": "False", "PATH": "/usr/bin:/bin"}
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ita_portal.settings'; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key():
    env = {"DEBUG": "False", "SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"}
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ita_portal.settings'; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent(catalogue, capsys):
    from assessments.models import Assessment, Membership
    from measures.models import Measure

    call_command("seed_demo")
    counts = (Assessment.objects.count(), Measure.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Assessment.objects.count(), Measure.objects.count(), Membership.objects.count()) == counts
    out = capsys.readouterr().out
    assert "ita-demo-2568" in out and "manager" in out
