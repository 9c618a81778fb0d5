"""A synthetic mbox for the `import mail` benchmark (BENCHMARKS.md): N messages between
`me@example.org` and the addresses of a generated vault, strangers and a list.

Usage: python3 gen_mbox.py VAULT OUT.mbox [N]
"""
import random, re, glob, sys
random.seed(7)
emails=[]
for f in glob.glob(sys.argv[1] + '/**/*.md', recursive=True):
    for line in open(f, encoding='utf-8', errors='replace'):
        m=re.match(r'email:\s*(.+)', line)
        if m:
            v=m.group(1).strip().strip('[]')
            emails += [e.strip().strip('"\'') for e in v.split(',') if '@' in e]
            break
strangers=[f"s{i}@elsewhere.example" for i in range(3000)]
me="me@example.org"
out=open(sys.argv[2],'w')
for i in range(int(sys.argv[3]) if len(sys.argv) > 3 else 100000):
    r=random.random()
    day=random.randint(1,28); mon=random.randint(1,12); yr=random.choice([2024,2025,2026])
    date=f"{day} {['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][mon-1]} {yr} 10:{i%60:02d}:00 +0000"
    extra=""
    if r<0.4: frm, to = me, random.choice(emails)
    elif r<0.7: frm, to = random.choice(emails), me
    elif r<0.85: frm, to = random.choice(strangers), me
    else: frm, to = "news@list.example", me; extra="List-Id: <news.list.example>\n"
    out.write(f"From {frm} Mon Jan  5 10:00:00 2026\nFrom: Someone <{frm}>\nTo: {to}\nDate: {date}\nMessage-ID: <m{i}@x>\nSubject: note {i}\n{extra}\n" + "Body line of the message, never read.\n"*8 + "\n")
out.close()
