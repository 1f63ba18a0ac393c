"""An acceptance-sized contact center, as the tables of every bulk object: what a test of importing a
whole configuration in one job (SPEC 11) needs. tests/samples holds one small sample per object;
this scales them up deterministically (no randomness), with every reference resolving to an object
of the same center: teams name sites, queues name teams and audio files, users name teams, profiles
and sites, DN mappings name entry points, schedules name queues, sites, teams and users, and so on.

contact_center() gives {slug: rows}, the header first (exactly the object's template header), for
every CSV object of the registry: the 26 CSV objects of the SPEC, and Wallboard when the test-only
app (tests/extension) is installed, as it is in the tests. The audio files come from
audio_entries(count), named as the queues' Default Music in Queue names them.

Imported object by object in dependency_order() into an empty database, every row is created but
the three shipped default rows (SHIPPED), which are written exactly as they ship and so count as
unchanged; imported again, every row is unchanged. Two objects are read in file order: an auxiliary
code file gives each kind's default code (Default ON) before the other codes of that kind (a code
of a kind that has no default yet fails), and at most 100 active global variables are Reportable."""

import csv
import io
import wave

from bulkops.engine.exports import header
from config_objects.models.catalogues import SHIPPED_ROWS
from config_objects.registry import OBJECT_TYPES
from tests.contact_center_fixed import FIXED

# {slug: name of its shipped default row}: the tables hold each as it ships.
SHIPPED = {
    "multimedia-profile": "Default Multimedia Profile",
    "desktop-layout": "Global Layout",
    "dial-plan": "Default Dial Plan",
}
assert sorted(SHIPPED.values()) == sorted(fields["name"] for fields in SHIPPED_ROWS.values())

CITIES = ("Belgrade", "Novi Sad", "Nis", "Kragujevac", "Subotica", "Zrenjanin", "Pancevo", "Cacak", "Kraljevo")
FUNCTIONS = ("Sales", "Support", "Billing", "Retention", "Escalations", "Onboarding", "Renewals", "Overflow")
TOPICS = ("Sales", "Support", "Billing", "Claims", "Bookings", "Technical")
TIMEZONES = ("Europe/Belgrade", "Europe/London", "America/New_York", "UTC")
REGIONS = ("GB", "DE", "US", "", "CA", "AU")
FIRST_NAMES = ("Ana", "Marko", "Jelena", "Đorđe", "Milica", "Nikola", "Ivana", "Stefan", "Teodora", "Luka", "Sara")
LAST_NAMES = ("Petrović", "Jovanović", "Ilić", "Nikolić", "Šarić", "Kovač", "Đukić", "Popović", "Marković")
WEEKDAYS = "MON|TUE|WED|THU|FRI"


def _fixed(slug: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(FIXED[slug])))


SKILL_PROFILES = list(dict.fromkeys(row["Name"] for row in _fixed("skill-profile")))


def contact_center(
    *, sites=5, teams=40, queues=30, entry_points=25, dns=60, users=2000, audio_files=3
) -> dict[str, list[list[str]]]:
    """{object slug: rows (the header first, exactly the object's template header)} for every CSV
    object of the registry, consistent with each other. The counts are objects: sites, teams,
    queues (of one to three distribution groups, a row each), entry points, DN-to-EP mappings and
    users, each at least 1; the other objects get a few each, some of them one per site."""
    center = _Center(sites, teams, queues, entry_points, dns, users, audio_files)
    tables = {}
    for t in OBJECT_TYPES:
        if t.file_kind != "csv":
            continue
        build = getattr(center, t.slug.replace("-", "_"), None)
        if build is None and t.slug not in FIXED:
            raise LookupError(f"tests/contact_center.py has no rows for the bulk object '{t.slug}'")
        rows = build() if build else _fixed(t.slug)
        columns = header(t.resource())
        for row in rows:
            unknown = set(row) - set(columns)
            assert not unknown, f"{t.slug}: no such columns {sorted(unknown)}"
        tables[t.slug] = [columns, *([row.get(column, "") for column in columns] for row in rows)]
    return tables


def audio_names(count: int) -> list[str]:
    first = ["hold-music.wav", "welcome.wav", "after-hours.wav"]
    return [first[n] if n < len(first) else f"prompt-{n + 1:02d}.wav" for n in range(count)]


def audio_entries(count) -> dict[str, bytes]:
    """{"name.wav": a valid WAV (8 kHz mono, 16 bit, a tenth of a second of a square wave)}, the
    names contact_center(audio_files=count) refers to; each file's content differs."""
    return {name: _wav(period=8 + 2 * n) for n, name in enumerate(audio_names(count))}


def as_csv(rows) -> bytes:
    """The rows as a UTF-8 CSV file (comma separated, CR LF line ends, as the csv module writes)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _wav(period: int) -> bytes:
    """800 frames of a square wave of the given period (in frames)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"".join(b"\xff\x3f" if n % period < period // 2 else b"\x01\xc0" for n in range(800)))
    return buffer.getvalue()


def _unique(names: tuple[str, ...], count: int) -> list[str]:
    """count names: the given ones, then the same again numbered ('Belgrade 2')."""
    return [names[n % len(names)] + ("" if n < len(names) else f" {n // len(names) + 1}") for n in range(count)]


def _bool(value) -> str:
    return "TRUE" if value else "FALSE"


def _join(items) -> str:
    """A list cell, its items in the order an export writes them (by name, ignoring case)."""
    return "|".join(sorted(items, key=str.lower))


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


class _Center:
    """The names of the center's objects, decided once, and each object's rows (as {column: value},
    a column left out being empty), in a method named by its slug."""

    def __init__(self, sites, teams, queues, entry_points, dns, users, audio_files):
        counts = {"sites": sites, "teams": teams, "queues": queues, "entry_points": entry_points}
        counts |= {"dns": dns, "users": users}
        for what, count in counts.items():
            if count < 1:
                raise ValueError(f"{what} must be at least 1 (it is {count})")
        self.sites = _unique(CITIES, sites)
        self.audio = audio_names(audio_files)
        self.teams = []  # (name, site, type)
        for n in range(teams):
            site = self.sites[n % sites]
            k = n // sites
            repeat = f" {k // len(FUNCTIONS) + 1}" if k >= len(FUNCTIONS) else ""  # 'Sales 2 Belgrade'
            name = f"{FUNCTIONS[k % len(FUNCTIONS)]}{repeat} {site}"
            self.teams.append((name, site, "CAPACITY" if n % 9 == 8 else "AGENT"))
        self.agent_teams = {
            site: [t for t, s, kind in self.teams if s == site and kind == "AGENT"] for site in self.sites
        }
        self.entry_points = []  # (name, channel, social channel)
        for n in range(entry_points):
            topic, number = TOPICS[n % len(TOPICS)], n // len(TOPICS) + 1
            channel, social = (("TELEPHONY", ""), ("TELEPHONY", ""), ("CHAT", ""), ("TELEPHONY", ""))[n % 4]
            if n % 5 == 4:
                channel, social = ("EMAIL", "") if n % 10 == 4 else ("SOCIAL_CHANNEL", ("SMS", "WHATSAPP")[n % 2])
            if n % 20 == 19:
                social = "FACEBOOK MESSENGER"
            word = {"TELEPHONY": "Line", "CHAT": "Chat", "EMAIL": "Mail", "SOCIAL_CHANNEL": "Social"}[channel]
            self.entry_points.append((f"{topic} {word} {number:02d}", channel, social))
        self.phone_entry_points = [name for name, channel, _ in self.entry_points if channel == "TELEPHONY"]
        self.queues = [self._queue(n) for n in range(queues)]
        self.users = [self._user(n) for n in range(users)]
        self.dns = dns
        self.supervisors = [u["Email"] for u in self.users if u["User Profile"] == "Supervisor"]
        enabled = [
            u["Email"]
            for u in self.users
            if u["User Profile"] == "Standard Agent" and u["Contact Center Enabled"] == "On"
        ]
        self.enabled_agents = enabled or self.supervisors  # a center too small to have agents

    def _queue(self, n: int) -> dict:
        channel = {4: "CHAT", 5: "EMAIL"}.get(n % 6, "TELEPHONY")
        phone = channel == "TELEPHONY"
        recording = phone and n % 3 != 2
        pause = recording and n % 5 == 0
        skills = n % 4 == 1
        word = {"TELEPHONY": "Calls", "CHAT": "Chats", "EMAIL": "Emails"}[channel]
        return {
            "Name": f"{TOPICS[n % len(TOPICS)]} {word} {n // len(TOPICS) + 1:02d}",
            "Description": f"{channel.title()} queue {n + 1}",
            "Channel Type": channel,
            "Max Time In Queue": str(300 + 60 * (n % 10)),
            "Service Level Threshold": str(20 + 5 * (n % 4)),
            "Timezone": TIMEZONES[n % len(TIMEZONES)],
            "Permit Monitoring": _bool(phone and n % 2 == 0),
            "Permit Recording": _bool(recording),
            "Record All Calls": _bool(recording and n % 4 == 0),
            "Pause or Resume Enabled": _bool(pause),
            "Recording Pause Duration": "30" if pause else "",
            "Default Music in Queue": self.audio[n % len(self.audio)] if self.audio and n % 2 == 0 else "",
            "Routing Type": "SKILLS_BASED" if skills else "LONGEST_AVAILABLE_AGENT",
            "Skill-Based Agent Selection": ("BEST_AVAILABLE_AGENT", "LONGEST_AVAILABLE_AGENT", "")[n % 3]
            if skills
            else "",
        }

    def _user(self, n: int) -> dict:
        first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]
        ascii_name = f"{first}.{last}".lower().translate(str.maketrans("đšćčž", "dsccz"))
        site = self.sites[n % len(self.sites)]
        row = {
            "Email": f"{ascii_name}.{n + 1:04d}@example.com",
            "First Name": first,
            "Last Name": last,
            "Contact Center Enabled": "On",
            "External Id": f"EXT-{n + 1:05d}",
        }
        if n % 250 == 1:  # administrators: no site or teams
            return row | {"User Profile": "Administrator", "Default DN": f"+3811190{n:04d}"}
        teams = self.agent_teams[site]
        chosen = [teams[n % len(teams)]] if teams else []
        if len(teams) > 1 and n % 3 == 0:
            chosen.append(teams[(n + 1) % len(teams)])
        row |= {"Site": site, "Teams": _join(chosen)}
        if n % 50 == 0:
            return row | {"User Profile": "Supervisor", "Desktop Profile": "Supervisor Desk", "Default DN": f"2{n:04d}"}
        desk = "Outbound Desk" if n % 10 == 5 else (f"{site} Desk" if n % 2 == 0 else "Agents")
        return row | {
            "User Profile": "Premium Agent" if n % 7 == 0 else "Standard Agent",
            "Contact Center Enabled": "Off" if n % 97 == 3 else "On",
            "Desktop Profile": desk if chosen else "",
            "Skill Profile": ("", *SKILL_PROFILES)[n % (len(SKILL_PROFILES) + 1)],
            "Multimedia Profile": ("", "Voice Only", "Blended Digital")[n % 3],
            "Default DN": f"1{n:04d}" if n % 4 == 0 else "",
        }

    def team_names(self, count: int) -> list[str]:
        return [name for name, _, _ in self.teams[:count]]

    # The objects that grow with the counts, by slug (the others are FIXED).

    def site(self):
        profiles = ("Default Multimedia Profile", "Blended Digital", "Voice Only")
        return [
            {"Name": site, "Description": f"Contact center in {site}", "Multimedia Profile": profiles[n % 3]}
            for n, site in enumerate(self.sites)
        ]

    def team(self):
        rows = []
        for n, (name, site, kind) in enumerate(self.teams):
            row = {"Name": name, "Site": site, "Type": kind}
            if kind == "CAPACITY":
                row |= {"DN": f"+3811170{n:04d}", "Capacity": str(5 + n % 20)}
            else:
                row |= {
                    "Multimedia Profile": ("", "Voice Only", "Blended Digital")[n % 3],
                    "Skill Profile": SKILL_PROFILES[n % len(SKILL_PROFILES)] if n % 2 == 0 else "",
                    "Desktop Layout": ("", "Agent Desk", "", "Supervisor Desk")[n % 4],
                }
            rows.append(row)
        return rows

    def _groups(self, queue: dict, n: int, size: int) -> list[dict]:
        """A queue's distribution groups as rows: one to three groups of one or two teams each, no
        team twice in one queue."""
        groups = min(1 + n % 3, len(self.teams))
        widths = [1 + (n + seq) % 2 for seq in range(groups)]
        while sum(widths) > len(self.teams):
            widths[widths.index(max(widths))] -= 1
        rows, taken = [], 0
        for seq, width in enumerate(widths, start=1):
            names = [self.teams[(n * size + taken + k) % len(self.teams)][0] for k in range(width)]
            taken += width
            rows.append(
                queue
                | {"Distribution Group Seq": str(seq), "Group Fallback Time": "" if seq == 1 else str(60 * seq)}
                | {"Group Teams": _join(names)}
            )
        return rows

    def queue(self):
        return [row for n, queue in enumerate(self.queues) for row in self._groups(queue, n, 3)]

    def outdial_queue(self):
        rows = []
        for n, name in enumerate(("Outbound Callbacks", "Collections", "Surveys")):
            recording = n != 2
            queue = {
                "Name": name,
                "Service Level Threshold": str(30 + 10 * n),
                "Timezone": TIMEZONES[n],
                "Permit Monitoring": _bool(n != 1),
                "Permit Recording": _bool(recording),
                "Record All Calls": _bool(n == 0),
                "Default Music in Queue": self.audio[0] if self.audio and n == 0 else "",
            }
            rows += self._groups(queue, n + 7, 2)
        return rows

    def entry_point(self):
        rows = []
        for n, (name, channel, social) in enumerate(self.entry_points):
            digital = channel != "TELEPHONY"
            rows.append(
                {
                    "Name": name,
                    "Description": f"{channel.replace('_', ' ').title()} entry point",
                    "Service Level Threshold": str(20 + 10 * (n % 3)),
                    "Timezone": TIMEZONES[n % len(TIMEZONES)],
                    "Channel Type": channel,
                    "Social Channel Type": social,
                    "Asset Name": f"{_slug(name)}-asset" if digital else "",
                    "Maximum Active Contacts": str(10 + n) if digital else "0",
                }
            )
        return rows

    def address_book(self):
        rows = [
            {"Name": "Partners", "Parent Type": "ORGANIZATION", "Entry Name": entry, "Entry Number": number}
            for entry, number in (
                ("Front Desk", "+381 11 555 0100"),
                ("Legal", "+381 (11) 555-0101"),
                ("IT Helpdesk", "0800 100 200"),
            )
        ]
        rows.append({"Name": "Vendors", "Description": "No entries yet", "Parent Type": "ORGANIZATION"})
        for n, site in enumerate(self.sites):
            for entry, number in (("Reception", f"+381 11 600 {n:04d}"), ("Site Manager", f"+381 11 601 {n:04d}")):
                rows.append(
                    {"Name": f"{site} Directory", "Parent Type": "SITE", "Site": site}
                    | {"Entry Name": entry, "Entry Number": number}
                )
        return rows

    def agent_profile(self):
        flags = (
            "Screen Popups",
            "Last Agent Routing",
            "Agent Available After Outdial",
            "Allow Auto Wrap Up Extension",
            "Consult To Queue",
            "Outdial Enabled",
            "Dial Plan Enabled",
            "Agent Statistics",
            "Logged In Team Statistics",
            "Agent Threshold Alerts Enabled",
        )
        options = ("Wrap Up Options", "Idle Options", "Transfer Options", "Buddy Team Option")
        options += ("Queue Statistics Option", "Team Statistics Option")
        base = dict.fromkeys(flags, "FALSE") | dict.fromkeys(options, "ALL")
        base |= {"Wrap Up Type": "MANUAL", "DN Validation Option": "UNRESTRICTED"}
        queues = [q["Name"] for q in self.queues[:3]]
        teams = self.team_names(2)
        rows = [base | {"Name": "Agents", "Description": "Every agent's desktop"}]
        for n, site in enumerate(self.sites):
            rows.append(
                base
                | {"Name": f"{site} Desk", "Parent Site": site, "Screen Popups": _bool(n % 2 == 0)}
                | ({"Wrap Up Type": "AUTO", "Auto Wrap Up Time": "30"} if n % 2 else {})
            )
        rows.append(
            base
            | {
                "Name": "Outbound Desk",
                "Wrap Up Type": "AUTO",
                "Auto Wrap Up Time": "45",
                "Agent Available After Outdial": "TRUE",
                "Wrap Up Options": "SPECIFIC",
                "Wrap Up Codes": "No Sale|Sold",
                "Idle Options": "SPECIFIC",
                "Idle Codes": "Coffee|Lunch",
                "Transfer Options": "SPECIFIC",
                "Transfer Targets": _join(queues[:2]),
                "Buddy Team Option": "SPECIFIC",
                "Buddy Teams": _join(teams),
                "Consult To Queue": "TRUE",
                "Outdial Enabled": "TRUE",
                "Outdial EP": "Outbound Sales",
                "Address Book": "Partners",
                "Dial Plan Enabled": "TRUE",
                "Dial Plan": "Default Dial Plan|Serbia",
                "Outdial ANI": "Main numbers",
                "DN Validation Option": "VALIDATION CRITERIA",
                "Validation Criteria": r"^\+?[0-9]{6,15}$",
                "Agent Statistics": "TRUE",
                "Queue Statistics Option": "SPECIFIC",
                "Selected Queues": _join(queues),
                "Logged In Team Statistics": "TRUE",
                "Team Statistics Option": "SPECIFIC",
                "Selected Teams": _join(teams),
                "Agent Threshold Alerts Enabled": "TRUE",
                "Agent Threshold Alerts": "Idle over 10 minutes",
            }
        )
        rows.append(
            base
            | {"Name": "Supervisor Desk", "Buddy Team Option": "NONE", "Queue Statistics Option": "NONE"}
            | {"DN Validation Option": "PROVISIONED VALUE", "Agent Statistics": "TRUE", "Screen Popups": "TRUE"}
        )
        return rows

    def user(self):
        return self.users

    def dn_mapping(self):
        return [
            {
                "Dialed Number": f"+38111555{n:04d}" if n % 5 else f"1-800-555-{n:04d}",
                "Entry Point": self.phone_entry_points[n % len(self.phone_entry_points)],
                "Region": REGIONS[n % len(REGIONS)],
            }
            for n in range(self.dns)
        ]

    def call_recording_schedule(self):
        when = {"Timezone": "Europe/Belgrade", "Start Date": "2026-01-01", "Days": WEEKDAYS}
        recorded = [q["Name"] for q in self.queues if q["Permit Recording"] == "TRUE"]
        rows = [
            when
            | {"Name": "Quality Sample", "Percentage": "20", "Start Time": "08:00", "End Time": "16:00"}
            | {"Queues": _join(recorded[:3])},
            when
            | {"Name": "New Hires", "Percentage": "100", "Start Time": "09:00", "End Time": "17:00"}
            | {"End Date": "2026-06-30", "Users": _join(self.enabled_agents[:5])},
        ]
        for n, site in enumerate(self.sites):
            rows.append(
                when
                | {"Name": f"{site} Sample", "Percentage": str(5 + n), "Days": "MON|WED|FRI", "Sites": site}
                | {"Start Time": "10:00", "End Time": "14:00", "Teams": _join(self.agent_teams[site][:2])}
                | {"Queues": recorded[n % len(recorded)] if recorded and n % 2 else ""}
            )
        return rows

    def call_monitoring_schedule(self):
        when = {"Timezone": "Europe/Belgrade", "Start Date": "2026-01-01", "Days": WEEKDAYS}
        monitored = [q["Name"] for q in self.queues if q["Permit Monitoring"] == "TRUE"]
        supervisors = self.supervisors
        rows = [
            when
            | {"Name": "New Agent Coaching", "Supervisor": supervisors[0], "Agent": self.enabled_agents[0]}
            | {"End Date": "2026-06-30", "Days": "MON|WED", "Start Time": "10:00", "End Time": "12:00"},
            when
            | {"Name": "Queue Watch", "Supervisor": supervisors[-1], "Queues": _join(monitored[:4])}
            | {"Start Time": "08:00", "End Time": "20:00"},
        ]
        for n, site in enumerate(self.sites):
            rows.append(
                when
                | {"Name": f"{site} Floor", "Supervisor": supervisors[n % len(supervisors)], "Sites": site}
                | {"Teams": _join(self.agent_teams[site][:3]), "Start Time": "09:00", "End Time": "17:00"}
            )
        return rows

    def threshold_rule(self):
        receivers = "supervisors@example.com"
        rows = [
            {"Name": f"{site} idle agents", "Entity Type": "SITE", "Entity": site, "Metric": "Idle Agents"}
            | {"Operand": "LESS_THAN", "Trigger Value": "2", "Trigger Interval": "60"}
            | {"Notification Receivers": f"{receivers}|{_slug(site)}-lead@example.com"}
            for site in self.sites
        ]
        rows += [
            {"Name": f"{name} nobody available", "Entity Type": "TEAM", "Entity": name}
            | {"Metric": "Available Agents", "Operand": "EQUAL", "Trigger Value": "0", "Trigger Interval": "30"}
            | {"Agent Viewable": "TRUE"}
            for name in self.team_names(10)
        ]
        metrics = (("Service Level Threshold", "LESS_THAN", "80"), ("Longest Time in Queue", "GREATER_THAN", "300"))
        metrics += (("Number of Calls in Queue", "GREATER_OR_EQUAL", "10"), ("Abandoned Calls", "GREATER_THAN", "5"))
        for n, queue in enumerate(self.queues):
            metric, operand, value = metrics[n % len(metrics)]
            rows.append(
                {"Name": f"{queue['Name']} {metric.lower()}", "Entity Type": "QUEUE", "Entity": queue["Name"]}
                | {"Metric": metric, "Operand": operand, "Trigger Value": value, "Trigger Interval": "120"}
                | {"Notification Receivers": receivers if n % 2 else ""}
            )
        rows += [
            {"Name": f"{name} IVR load", "Entity Type": "ENTRY_POINT", "Entity": name, "Metric": "IVR Calls"}
            | {"Operand": "GREATER_THAN", "Trigger Value": "50", "Trigger Interval": "300"}
            for name in self.phone_entry_points[:5]
        ]
        rows += [
            {"Name": f"Agent {metric.lower()}", "Description": "Every agent", "Entity Type": "AGENT"}
            | {"Metric": metric, "Operand": "GREATER_THAN", "Trigger Value": value, "Trigger Interval": "60"}
            | {"Agent Viewable": "TRUE"}
            for metric, value in (
                ("Current Idle Time", "600"),
                ("Current Wrap-up Time", "120"),
                ("Total Idle Time", "3600"),
            )
        ]
        for row in rows:
            row.setdefault("Agent Viewable", "FALSE")
        return rows

    def working_hours(self):
        shifts = (("Weekdays", WEEKDAYS, "08:00", "16:00"), ("Evenings", WEEKDAYS, "16:00", "22:00"))
        shifts += (("Saturday", "SAT", "09:00", "13:00"),)
        rows = []
        for n, site in enumerate(self.sites):
            hours = {"Name": f"{site} Hours", "Timezone": "Europe/Belgrade", "Description": f"{site} opening hours"}
            hours |= {"Holiday List": "Serbian Holidays", "Override": ("Christmas Eve", "Year End", "")[n % 3]}
            rows += [
                hours | {"Shift Name": name, "Days": days, "Start Time": start, "End Time": end}
                for name, days, start, end in shifts[: 2 + n % 2]
            ]
        always = {"Name": "Around the Clock", "Timezone": "Europe/London", "Holiday List": "UK Bank Holidays"}
        always |= {"Override": "Spring Campaign"}
        rows += [
            always
            | {"Shift Name": "Day", "Days": "MON|TUE|WED|THU|FRI|SAT|SUN", "Start Time": "00:00"}
            | {"End Time": "12:00"},
            always
            | {"Shift Name": "Night", "Days": "MON|TUE|WED|THU|FRI|SAT|SUN", "Start Time": "12:00"}
            | {"End Time": "23:59"},
        ]
        return rows

    def wallboard(self):
        """The test-only object of tests/extension."""
        return [
            {"Name": f"{site} Lobby", "Site": site, "Timezone": "Europe/Belgrade"}
            | {"Show All Queues": _bool(n % 2 == 0), "Refresh Seconds": str(30 + 15 * (n % 2))}
            for n, site in enumerate(self.sites)
        ]
