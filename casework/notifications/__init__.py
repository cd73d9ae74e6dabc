"""Telling people what waits for them by e-mail and SMS, through the `notifications` outbox.

services/notifications.py decides who is told what (collect); messages.py writes the text;
outbox.py sends the rows due (deliver) through email.py and sms.py; queue.py wakes a worker
through Redis; commands.py holds the flask commands.
"""
