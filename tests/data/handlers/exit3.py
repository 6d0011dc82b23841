import sys

sys.stderr.write("the database is gone\n")
sys.exit(3)
