"""Chat fixtures: a fresh channel layer per test, and two members who talk."""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from django.db import connections

from chat.consumers import close_database_threads_connections
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    # The in-memory layer keeps groups between tests, and its queues belong to one event loop.
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


@pytest.fixture
def peer(db):
    """A member of another organisation, in another city, whom `member` talks to."""
    user = factories.UserFactory(full_name="Pia Peer")
    factories.MembershipFactory(user=user, organisation=factories.OrganisationFactory(city="Milan", country="IT"))
    return user


@pytest.fixture
def francophone(db):
    """A member who reads the site in French."""
    return factories.UserFactory(full_name="Fanny Français", language="fr")


@pytest.fixture
async def close_socket_connections():
    """Close the database connections the consumers opened in their database threads (and asgiref's).

    Left open, they keep PostgreSQL from dropping the test database at the end of the run.
    """
    yield
    await database_sync_to_async(connections.close_all)()
    await sync_to_async(close_database_threads_connections, thread_sensitive=False)()


@pytest.fixture(scope="session", autouse=True)
def _close_chat_database_threads():
    yield
    close_database_threads_connections()
