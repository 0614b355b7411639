#!/bin/sh
# Edu-ASI: double-click this file to start (macOS). It needs Python 3.11 or newer from python.org.
# It runs run.py, which does the rest. The first time, macOS may ask: right-click, Open.
cd "$(dirname "$0")" || exit 1
for candidate in python3.14 python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" > /dev/null 2>&1; then
        "$candidate" run.py "$@"
        status=$?
        echo ""
        echo "Edu-ASI has stopped. You can close this window."
        exit $status
    fi
done
echo "Python 3.11 or newer is not installed. Get it from https://www.python.org/downloads/ and try again."
read -r _
