#!/usr/bin/env bash
# Valiant's "Testing authentication headers" shell example, pointed at a keygate gateway. The signed key is made the
# way the vendor's linked reference does it in a shell: openssl HMAC-SHA256, binary digest, base64.
#
# Usage: valiant_curl.sh URL API_ID API_KEY API_SECRET [CONTENT_TYPE]
# An empty API_ID, API_KEY or CONTENT_TYPE leaves that header out. Prints curl's -i output (status, headers, body).
set -euo pipefail
url=$1 api_id=$2 api_key=$3 api_secret=$4 content_type=${5-application/vnd.api+json}

api_signed_key=$(printf '%s' "$api_key" | openssl dgst -sha256 -hmac "$api_secret" -binary | base64)

headers=()
[[ -n $api_id ]] && headers+=(-H "X-AUTH-ID:         $api_id")
[[ -n $api_key ]] && headers+=(-H "X-AUTH-SIGNED-KEY: $api_signed_key")
[[ -n $content_type ]] && headers+=(-H "Content-Type:      $content_type")

curl -siX GET \
  "$url" \
  "${headers[@]}"
