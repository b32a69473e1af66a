# The pace of outgoing messages counts seconds, for every backend (docs/decisions/0029), in place of
# Notify's counter of minutes. The old table held only counters of the last hour's minutes, which
# mean nothing to a counter of seconds: it is dropped, not copied.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_notify_delivery'),
    ]

    operations = [
        migrations.CreateModel(
            name='SendRateWindow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('second', models.DateTimeField(unique=True)),
                ('used', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.DeleteModel(
            name='NotifyRateWindow',
        ),
    ]
