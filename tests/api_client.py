"""The Django test client speaking JSON to the API, with an optional bearer token."""

import json

from django.test import Client


class ApiClient:
    def __init__(self, token: str | None = None, *, client: Client | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, url, **params):
        return self.client.get(url, params, headers=self.headers)

    def send(self, method, url, body=None, *, raw=None):
        """``body`` as JSON, ``raw`` as it is; neither sends an empty body."""
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return getattr(self.client, method)(
            url, data=data, content_type="application/json", headers=self.headers
        )

    def post(self, url, body=None, **kwargs):
        return self.send("post", url, body, **kwargs)

    def patch(self, url, body=None, **kwargs):
        return self.send("patch", url, body, **kwargs)

    def delete(self, url):
        return self.client.delete(url, headers=self.headers)
