from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's login (django-axes counts its failures through authenticate()) with "จดจำฉัน"."""

    remember = forms.BooleanField(label="จดจำฉัน", required=False)
