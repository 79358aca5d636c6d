"""Django's Redis cache, with one Redis client per connection pool instead of one per call."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    """Django builds a new `redis.Redis` for every cache call, and building one fills its table
    of about 170 response callbacks: on an event page (session, page parts, menu, privacy
    notice) that cost more CPU than the round trips. A client takes a connection from its pool
    for each command and holds none, so one per pool serves every thread and call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
