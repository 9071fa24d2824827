"""Lenme's Python example, as its authentication document writes it, sending with requests.

Usage: lenme_client.py URL API_KEY SECRET_KEY
Prints one JSON object: {case: [status, body]} for each case below.
"""
import json
import sys

import hmac
import hashlib
import time

import requests


# From the vendor document, unchanged.
def generate_client_hmac(secret_key):
    timestamp = str(int(time.time()))
    message = f"{timestamp}:{secret_key}"
    hmac_signature = hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).hexdigest()
    return hmac_signature, timestamp


url, api_key, secret_key = sys.argv[1], sys.argv[2], sys.argv[3]
results = {}


def record(name, response):
    results[name] = [response.status_code, response.content.decode()]


hmac_signature, timestamp = generate_client_hmac(secret_key)
headers = {
    "accept": "application/json",
    "X-API-KEY": api_key,
    "X-Timestamp": timestamp,
    "X-HMAC": hmac_signature,
}
payload = {"loan_id": 42, "amount": 50.5, "note": "caf\u00e9"}

record("post", requests.post(url, headers=headers, json=payload))
# The vendor lets an HMAC be reused for five minutes.
record("post_again", requests.post(url, headers=headers, json=payload))
record("get", requests.get(url, headers=headers))

wrong_signature, wrong_timestamp = generate_client_hmac(secret_key + "x")
record("wrong_secret", requests.post(url, headers={**headers, "X-HMAC": wrong_signature, "X-Timestamp": wrong_timestamp}, json=payload))
record("unknown_key", requests.post(url, headers={**headers, "X-API-KEY": api_key + "-unknown"}, json=payload))

print(json.dumps(results))
