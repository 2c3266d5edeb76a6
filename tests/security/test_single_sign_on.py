"""Single sign-on's rules that need no browser (decision 75): the providers' configuration,
the sign-in page's address step, and disabling unused accounts. The sign-in through a real
provider, in Chromium, is in tests/browser/test_single_sign_on.py."""

import datetime

import pytest
from allauth.socialaccount.models import SocialApp
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maca.accounts.leavers import unused_accounts_disable
from maca.accounts.models import SignInProvider, User
from maca.accounts.single_sign_on import asserted_second_factor
from tests import factories as f
from tests.factories import PASSWORD
from tests.signing_in import sign_in

LOGIN = reverse("account_login")


def _provider(
    partnership, provider_id="police", domains="police.example.net", client_id="", **fields
):
    client_id = client_id or f"maca-{provider_id}"
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=provider_id,
        name=f"{provider_id.title()} provider",
        client_id=client_id,
        settings={"server_url": f"https://login.{provider_id}.example.net/tenant"},
    )
    return SignInProvider(app=app, partnership=partnership, email_domains=domains, **fields)


def test_a_domain_has_one_provider_and_is_a_domain(partnership):
    _provider(partnership).save()
    second = _provider(partnership, "health", "nhs.example.net\nPOLICE.example.net")
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "police.example.net already signs in through Police provider" in str(refused.value)

    not_a_domain = _provider(partnership, "school", "teacher@school.example.net")
    with pytest.raises(ValidationError) as refused:
        not_a_domain.full_clean()
    assert "is not an e-mail domain" in str(refused.value)


def test_each_provider_has_its_own_client_id(partnership):
    _provider(partnership).save()
    same = _provider(partnership, "health", "nhs.example.net", client_id="maca-police")
    with pytest.raises(ValidationError) as refused:
        same.full_clean()
    assert "Another sign-in provider has this client id" in str(refused.value)


def test_a_secret_named_must_be_in_the_environment(partnership, settings):
    settings.MACA_OIDC_SECRETS = {"POLICE": "from the environment"}
    named = _provider(partnership, secret_name="police")
    named.full_clean()
    assert named.secret_name == "POLICE"

    missing = _provider(partnership, "health", "nhs.example.net", secret_name="health")
    with pytest.raises(ValidationError) as refused:
        missing.full_clean()
    assert "MACA_OIDC_SECRET_HEALTH is not set in maca's environment" in str(refused.value)


def test_a_providers_agency_is_one_of_its_partnership(partnership, other_partnership):
    elsewhere = f.AgencyFactory(partnership=other_partnership, name="Their police")
    provider = _provider(partnership, agency=elsewhere)
    with pytest.raises(ValidationError) as refused:
        provider.full_clean()
    assert "agency" in refused.value.message_dict


def test_the_address_step_sends_a_providers_domain_to_it_and_others_to_the_password(
    client, partnership, coordinator
):
    _provider(partnership).save()

    page = client.get(LOGIN)
    assert 'name="password"' not in page.content.decode()
    # The page may lead to the provider's sign-in page: its form-action says so.
    assert "https://login.police.example.net" in page["Content-Security-Policy"]

    answer = client.post(LOGIN, {"login": coordinator.email})
    assert answer.status_code == 200
    assert 'name="password"' in answer.content.decode()

    refused = client.post(LOGIN, {"login": "not an address"})
    assert "Enter an e-mail address in the correct format" in refused.content.decode()
    assert 'name="password"' not in refused.content.decode()


def test_a_providers_people_cannot_use_a_maca_password(client, partnership, agencies):
    """Their organisation decides whether they may sign in: a password maca still holds for
    them (set before the provider was) signs nobody in."""
    user = f.MembershipFactory(
        user=f.UserFactory(email="officer@police.example.net"),
        partnership=partnership,
        role="board_member",
    ).user
    _provider(partnership).save()

    # The provider's configuration is read from its issuer, which cannot be reached here: the
    # answer says signing in through the organisation did not work, and nobody is signed in.
    answer = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert answer.status_code == 502
    assert "signing in through your organisation did not work" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_providers_own_start_page_sends_to_the_sign_in_page(client, partnership):
    _provider(partnership).save()
    answer = client.get(reverse("openid_connect_login", kwargs={"provider_id": "police"}))
    assert answer.status_code == 302 and answer["Location"] == LOGIN


def test_maca_takes_mfa_in_amr_or_a_listed_acr_as_a_second_factor(partnership):
    provider = _provider(partnership, mfa_acr_values="urn:example:loa:mfa")
    assert asserted_second_factor(provider, {"amr": ["pwd", "mfa"]})
    assert asserted_second_factor(provider, {"amr": "mfa"})
    assert asserted_second_factor(provider, {"acr": "urn:example:loa:mfa"})
    assert not asserted_second_factor(provider, {"amr": ["pwd"]})
    assert not asserted_second_factor(provider, {"acr": "urn:example:loa:1"})
    assert not asserted_second_factor(provider, {})


def test_a_password_sign_in_is_recorded_for_the_admin(client, coordinator):
    from tests.signing_in import sign_in_with_code

    sign_in_with_code(client, coordinator, PASSWORD)
    coordinator.refresh_from_db()
    assert coordinator.last_sign_in_via == "password"
    assert coordinator.last_login is not None


# --- Leavers --------------------------------------------------------------------------------


def _unused_for(days, **user):
    moment = timezone.now() - datetime.timedelta(days=days)
    return f.UserFactory(last_login=moment, date_joined=moment, **user)


def test_an_unused_account_is_warned_first_and_disabled_a_fortnight_later(db):
    mail.outbox.clear()
    long_gone = _unused_for(200, email="long.gone@example.org")
    nearly = _unused_for(80, email="nearly@example.org")
    recent = _unused_for(10, email="recent@example.org")
    admin = _unused_for(400, email="admin@example.org", is_superuser=True, is_staff=True)

    first = unused_accounts_disable()

    # However long unused, the first run only warns.
    assert sorted(first.warned) == [long_gone.email, nearly.email]
    assert first.disabled == []
    assert sorted(m.to[0] for m in mail.outbox) == [long_gone.email, nearly.email]
    notice = next(m for m in mail.outbox if m.to == [long_gone.email])
    assert "will be disabled on or after" in notice.body
    assert "/accounts/login/" in notice.body

    # A fortnight on: both are disabled, each warned once; the recent one is untouched.
    later = timezone.now() + datetime.timedelta(days=14, minutes=1)
    second = unused_accounts_disable(now=later)
    assert sorted(second.disabled) == [long_gone.email, nearly.email]
    assert second.warned == []
    assert len(mail.outbox) == 2
    for user in (long_gone, nearly):
        user.refresh_from_db()
        assert not user.is_active
    recent.refresh_from_db()
    admin.refresh_from_db()
    assert recent.is_active and admin.is_active


def test_signing_in_after_the_notice_keeps_the_account(client, partnership):
    user = f.MembershipFactory(
        user=_unused_for(85, email="back@example.org"), partnership=partnership, role="coordinator"
    ).user
    assert unused_accounts_disable().warned == [user.email]

    from tests.signing_in import sign_in_with_code

    sign_in_with_code(client, user, PASSWORD)
    user.refresh_from_db()
    assert user.unused_notice_sent_at is None

    later = timezone.now() + datetime.timedelta(days=15)
    assert unused_accounts_disable(now=later).disabled == []
    assert User.objects.get(pk=user.pk).is_active


def test_the_command_says_what_it_did(db, capsys):
    _unused_for(100)
    call_command("disable_unused_accounts")
    assert "1 account(s) warned, 0 disabled (unused for 90 days)." in capsys.readouterr().out


def test_the_admin_lists_how_each_account_last_signed_in(client, db):
    admin = f.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    f.UserFactory(email="officer@police.example.net", last_sign_in_via="Ourshire Police")
    sign_in(client, admin)
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Ourshire Police" in page
