# A command handler: the task's input on stdin, the result on stdout.
import json
import sys

data = json.load(sys.stdin)
sys.stderr.write("echo_stdin ran\n")
json.dump({"received": data, "argv": sys.argv[1:]}, sys.stdout)
