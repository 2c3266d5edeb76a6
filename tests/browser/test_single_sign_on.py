"""Signing in through one's organisation's OpenID Connect provider (decision 75), in Chromium,
against a real provider started as its own process (tests/support/oidc_provider.py): every
redirect, the code exchange with PKCE and the ID token's checks happen as they would with
Microsoft Entra ID. Nothing is mocked."""

import pytest
from playwright.sync_api import expect

from maca.partnerships.models import Role
from tests import factories as f
from tests.support.oidc import callback_url, provider_process, register

from .conftest import assert_accessible, ensure_authenticator_app, type_address

pytestmark = pytest.mark.browser

POLICE_ADDRESS = "a.constable@police.example.net"


@pytest.fixture
def constable(partnership, agencies, audit):
    """A police auditor whose force signs its people in (the audit gives Police a request)."""
    return f.MembershipFactory(
        user=f.UserFactory(email=POLICE_ADDRESS, name="A Constable"),
        partnership=partnership,
        role=Role.AGENCY_AUDITOR,
        agency=agencies["Police"],
    ).user


@pytest.fixture
def police_provider(live_server, partnership, agencies, settings):
    """Starts the police force's provider with the claims the test asks for, and registers it
    as an admin would, its secret named and held in the settings (the environment's)."""
    settings.MACA_OIDC_SECRETS = {"POLICE": "not-a-real-secret-but-a-long-one"}

    def start(stack, *options, domains=("police.example.net",), agency="Police"):
        issuer = stack.enter_context(
            provider_process(
                callback_url(live_server.url, "police"), *options, provider_id="police"
            )
        )
        register(
            issuer,
            provider_id="police",
            name="Ourshire Police",
            domains=domains,
            partnership=partnership,
            agency=agencies[agency] if agency else None,
            secret_name="police",
        )
        return issuer

    return start


@pytest.fixture
def stack():
    from contextlib import ExitStack

    with ExitStack() as stack:
        yield stack


def sign_in_at_the_provider(page):
    expect(page.get_by_role("heading", name="Test provider: sign in")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in to your organisation").click()


def test_a_police_auditor_signs_in_through_their_force_straight_onto_my_requests(
    page, live_server, stack, police_provider, constable
):
    """The provider says it used a second factor (`amr` has "mfa"): maca asks no code, even of
    someone who has an authenticator app."""
    ensure_authenticator_app(constable.email)
    police_provider(stack, "--amr", "pwd,mfa")

    # Signed out, "My requests" sends to the sign-in page, which asks for the address only.
    page.goto(f"{live_server.url}/requests/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("E-mail address").fill(POLICE_ADDRESS)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()

    # At the force's own sign-in page, the address passed along as the hint.
    assert page.url.startswith("http://127.0.0.1:") and "/authorize?" in page.url
    assert "code_challenge_method=S256" in page.url
    expect(page.get_by_label("Work e-mail")).to_have_value(POLICE_ADDRESS)
    sign_in_at_the_provider(page)

    expect(page.get_by_role("heading", name="My requests", level=1)).to_be_visible()
    assert page.url == f"{live_server.url}/requests/"
    expect(page.get_by_text("Enter the code from your authenticator app")).to_have_count(0)

    constable.refresh_from_db()
    assert constable.last_sign_in_via == "Ourshire Police"
    assert constable.last_login is not None


def test_a_provider_that_does_not_assert_a_second_factor_gets_maca_s_code_asked(
    page, live_server, stack, police_provider, constable
):
    from tests.signing_in import authenticator_app, fresh_code

    app = authenticator_app(constable)
    police_provider(stack, "--amr", "pwd")

    type_address(page, live_server, POLICE_ADDRESS)
    sign_in_at_the_provider(page)

    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    # Not signed in yet: maca's pages still send to the sign-in page.
    page.get_by_label("Code").fill(fresh_code(app))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/requests/")
    expect(page.get_by_role("heading", name="My requests", level=1)).to_be_visible()


def test_someone_without_an_app_whose_provider_asserts_none_sets_one_up(
    page, live_server, stack, police_provider, constable
):
    police_provider(stack)  # no amr at all

    type_address(page, live_server, POLICE_ADDRESS)
    sign_in_at_the_provider(page)

    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()


def test_a_forged_state_is_refused(page, live_server, stack, police_provider, constable):
    """The provider sends back the `state` it was given; one changed on the way (a link made by
    someone else, a sign-in begun in another browser) signs nobody in."""
    police_provider(stack, "--amr", "mfa")
    type_address(page, live_server, POLICE_ADDRESS)
    page.locator("input[name=state]").evaluate("input => input.value = 'forged'")
    sign_in_at_the_provider(page)

    expect(
        page.get_by_role("heading", name="Sorry, signing in through your organisation did not work")
    ).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/requests/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


@pytest.mark.parametrize(
    "options",
    [("--audience", "another-client"), ("--expired",)],
    ids=["a token for another client", "an expired token"],
)
def test_an_id_token_maca_cannot_accept_signs_nobody_in(
    page, live_server, stack, police_provider, constable, options
):
    police_provider(stack, "--amr", "mfa", *options)
    type_address(page, live_server, POLICE_ADDRESS)
    sign_in_at_the_provider(page)

    expect(
        page.get_by_role("heading", name="Sorry, signing in through your organisation did not work")
    ).to_be_visible()
    page.goto(f"{live_server.url}/requests/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    constable.refresh_from_db()
    assert constable.last_login is None


def test_an_address_of_another_domain_is_asked_for_its_password(
    page, live_server, stack, police_provider, constable, coordinator
):
    from tests.factories import PASSWORD

    police_provider(stack, "--amr", "mfa")
    type_address(page, live_server, coordinator.email)

    assert page.url.startswith(live_server.url)
    expect(page.get_by_label("E-mail address")).to_have_value(coordinator.email)
    assert_accessible(page)
    ensure_authenticator_app(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()


def test_an_address_the_provider_vouches_for_outside_its_domains_is_refused(
    page, live_server, stack, police_provider, constable, coordinator
):
    """The provider may say any address: maca accepts only those of the provider's domains,
    so a force cannot sign in the partnership's coordinator."""
    police_provider(stack, "--amr", "mfa")
    type_address(page, live_server, POLICE_ADDRESS)
    page.get_by_label("Work e-mail").fill(coordinator.email)
    sign_in_at_the_provider(page)

    expect(page.get_by_role("heading", name="You cannot sign in to maca")).to_be_visible()
    expect(page.get_by_text("that address is not one of its domains")).to_be_visible()
    assert_accessible(page)


def test_an_address_with_no_maca_account_is_refused_not_signed_up(
    page, live_server, stack, police_provider, constable
):
    from maca.accounts.models import User

    police_provider(stack, "--amr", "mfa")
    type_address(page, live_server, "new.starter@police.example.net")
    sign_in_at_the_provider(page)

    expect(page.get_by_role("heading", name="You cannot sign in to maca")).to_be_visible()
    expect(
        page.get_by_text("There is no maca account for new.starter@police.example.net")
    ).to_be_visible()
    assert not User.objects.filter(email="new.starter@police.example.net").exists()


def test_someone_their_organisation_refuses_is_refused_by_maca(
    page, live_server, stack, police_provider, constable
):
    """A leaver: the force has disabled them, so it sends them back refused. Their maca
    account still exists, and its password would still be right, but is never asked for."""
    police_provider(stack, "--amr", "mfa", "--refuse", POLICE_ADDRESS)
    type_address(page, live_server, POLICE_ADDRESS)
    sign_in_at_the_provider(page)

    expect(page.get_by_role("heading", name="You were not signed in")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/requests/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_two_providers_each_sign_in_their_own_domains_one_with_maca_s_code(
    page, another_page, live_server, stack, police_provider, constable, partnership, agencies
):
    """The Done-when of issue 24: the police force's provider asserts a second factor and its
    auditor goes straight onto "My requests"; the health trust's provider does not, and its
    auditor is asked for maca's code. Both providers are registered at once."""
    from tests.signing_in import authenticator_app, fresh_code

    nurse = f.MembershipFactory(
        user=f.UserFactory(email="a.nurse@trust.example.net"),
        partnership=partnership,
        role=Role.AGENCY_AUDITOR,
        agency=agencies["Health Provider"],
    ).user
    app = authenticator_app(nurse)
    police_provider(stack, "--amr", "pwd,mfa")
    health = stack.enter_context(
        provider_process(
            callback_url(live_server.url, "trust"), "--amr", "pwd", provider_id="trust"
        )
    )
    register(
        health,
        provider_id="trust",
        name="Ourshire Health Trust",
        domains=["trust.example.net"],
        partnership=partnership,
        agency=agencies["Health Provider"],
    )

    type_address(page, live_server, POLICE_ADDRESS)
    sign_in_at_the_provider(page)
    page.goto(f"{live_server.url}/requests/")
    expect(page.get_by_role("heading", name="My requests", level=1)).to_be_visible()

    nurses_page = another_page()
    type_address(nurses_page, live_server, nurse.email)
    assert nurses_page.url.startswith(health)  # the trust's provider, not the force's
    sign_in_at_the_provider(nurses_page)
    expect(
        nurses_page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    nurses_page.get_by_label("Code").fill(fresh_code(app))
    with nurses_page.expect_navigation():
        nurses_page.get_by_role("button", name="Sign in").click()
    nurses_page.goto(f"{live_server.url}/requests/")
    expect(nurses_page.get_by_role("heading", name="My requests", level=1)).to_be_visible()
    nurse.refresh_from_db()
    assert nurse.last_sign_in_via == "Ourshire Health Trust"
