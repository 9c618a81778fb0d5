"""The yardstick for the `import mail` benchmark: Python's own mailbox module reading the
headers vault-reach reads, from every message of an mbox.

Usage: python3 python_headers.py FILE.mbox
"""
import mailbox, sys, email.utils
n=0
for msg in mailbox.mbox(sys.argv[1]):
    for h in ("From","To","Cc","Date","Message-ID","In-Reply-To","List-Id","Precedence","Auto-Submitted"):
        msg.get(h)
    n+=1
print(n)
