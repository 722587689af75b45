import sys

from segue.launch import main

if __name__ == "__main__":
    sys.exit(main())
