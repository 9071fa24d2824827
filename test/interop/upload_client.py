"""Oversized uploads the way a Python client sends them: requests, one Session (keep-alive), the whole body sent
before the response is read (a bytes body with Content-Length, or a generator of 64 KiB pieces, chunked).

Usage: upload_client.py URL BODY_FILE cl|chunked COUNT HEADERS_JSON
Prints one JSON object per upload: {"status": int, "body": str} or {"error": str}.
"""
import json
import sys

import requests

url, body_file, mode, count, headers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), json.loads(sys.argv[5])
with open(body_file, 'rb') as f:
    body = f.read()


def pieces():
    for offset in range(0, len(body), 65536):
        yield body[offset:offset + 65536]


session = requests.Session()
for _ in range(count):
    try:
        response = session.post(url, data=pieces() if mode == 'chunked' else body, headers=headers, timeout=60)
        print(json.dumps({"status": response.status_code, "body": response.content.decode()}), flush=True)
    except requests.RequestException as error:
        print(json.dumps({"error": repr(error)}), flush=True)
