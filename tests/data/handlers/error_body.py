import json
import sys

sys.stdin.read()
print(json.dumps({"errorType": "Invalid", "errorMessage": "no"}))
