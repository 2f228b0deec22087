package graphsim

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/google/uuid"
)

// The seeded directory is deterministic for a given Options.Seed: the same
// users, groups and ids on every run, so demos and tests can rely on them.

var (
	seedGivenNames = []string{"Anna", "Ben", "Clara", "David", "Emma", "Felix", "Grace", "Henrik", "Ida", "Jonas",
		"Karin", "Lars", "Maja", "Noah", "Olivia", "Peter", "Ravi", "Sofia", "Tariq", "Ursula", "Victor", "Wei", "Yuki", "Zoe"}
	seedSurnames = []string{"Andersen", "Brown", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ito", "Jensen",
		"Kowalski", "Larsen", "Müller", "Nielsen", "O'Brien", "Patel", "Quinn", "Rossi", "Schmidt", "Taylor", "Usman", "Virtanen", "Wagner", "Zhang"}
	seedDepartments = []struct {
		name   string
		titles []string
	}{
		{"Sales", []string{"Account Executive", "Sales Manager", "Sales Engineer"}},
		{"Marketing", []string{"Marketing Specialist", "Content Strategist", "Marketing Manager"}},
		{"Engineering", []string{"Software Engineer", "Senior Software Engineer", "Engineering Manager", "Site Reliability Engineer"}},
		{"Finance", []string{"Accountant", "Financial Analyst", "Controller"}},
		{"Human Resources", []string{"HR Generalist", "Recruiter", "HR Business Partner"}},
		{"Support", []string{"Support Engineer", "Customer Success Manager"}},
	}
	seedOffices = []struct {
		country, city, state, street, postal, office, lang, phonePrefix string
	}{
		{"US", "Seattle", "WA", "1 Microsoft Way", "98052", "Seattle HQ", "en-US", "+1 206 555"},
		{"US", "New York", "NY", "350 5th Ave", "10118", "New York", "en-US", "+1 212 555"},
		{"DK", "Copenhagen", "", "Kanalvej 7", "2800", "Copenhagen", "da-DK", "+45 45 55"},
		{"GB", "London", "", "2 Kingdom Street", "W2 6BD", "London Paddington", "en-GB", "+44 20 7555"},
		{"DE", "Munich", "BY", "Walter-Gropius-Str. 5", "80807", "München", "de-DE", "+49 89 555"},
		{"IN", "Bengaluru", "KA", "Prestige Ferns Galaxy", "560103", "Bengaluru", "en-IN", "+91 80 555"},
	}
	seedGroupNames = []string{"All Staff", "Sales Team", "Marketing Team", "Engineering", "Finance", "Project Phoenix", "Office Champions", "On-call"}
)

// seededUUID draws a version-4 UUID from the seeded source.
func seededUUID(rng *rand.Rand) string {
	var u uuid.UUID
	for i := range u {
		u[i] = byte(rng.UintN(256))
	}
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return u.String()
}

// asciiLower makes a name usable in a UPN ("Müller" → "muller", "O'Brien" → "obrien").
func asciiLower(s string) string {
	r := strings.NewReplacer("ü", "u", "ö", "o", "ä", "a", "'", "", " ", "")
	return strings.ToLower(r.Replace(s))
}

// seedDirectory loads the template catalog and creates Options.Users users
// and Options.Groups groups. Every eighth user manages the seven after it;
// those managers report to the first user. Every twentieth user is disabled.
func (s *Sim) seedDirectory() {
	for _, c := range templateCatalog() {
		t := c.AppTemplate
		s.dir.templates = append(s.dir.templates, &t)
		s.dir.templateByID[strings.ToLower(t.ID)] = &t
	}
	s.seedFirstPartyServicePrincipals()
	rng := rand.New(rand.NewPCG(s.opts.Seed, 0x5eed))
	for i := 0; i < s.opts.Users; i++ {
		given := seedGivenNames[rng.IntN(len(seedGivenNames))]
		sur := seedSurnames[rng.IntN(len(seedSurnames))]
		dept := seedDepartments[rng.IntN(len(seedDepartments))]
		office := seedOffices[rng.IntN(len(seedOffices))]
		nick := fmt.Sprintf("%s.%s%d", asciiLower(given), asciiLower(sur), i+1)
		u := &User{
			ID:                         seededUUID(rng),
			UserPrincipalName:          nick + "@contoso.onmicrosoft.com",
			Mail:                       nick + "@contoso.com",
			MailNickname:               nick,
			DisplayName:                given + " " + sur,
			GivenName:                  given,
			Surname:                    sur,
			JobTitle:                   dept.titles[rng.IntN(len(dept.titles))],
			Department:                 dept.name,
			CompanyName:                "Contoso",
			Country:                    office.country,
			City:                       office.city,
			State:                      office.state,
			StreetAddress:              office.street,
			PostalCode:                 office.postal,
			PhysicalDeliveryOfficeName: office.office,
			TelephoneNumber:            fmt.Sprintf("%s %04d", office.phonePrefix, rng.IntN(10000)),
			Mobile:                     fmt.Sprintf("%s %04d", office.phonePrefix, rng.IntN(10000)),
			PreferredLanguage:          office.lang,
			EmployeeID:                 fmt.Sprintf("E%05d", 10000+i+1),
			AccountEnabled:             i%20 != 19,
		}
		switch {
		case i == 0:
		case i%8 == 0:
			u.ManagerID = s.dir.users[0].ID
		default:
			u.ManagerID = s.dir.users[i-i%8].ID
		}
		s.dir.users = append(s.dir.users, u)
		s.dir.userByID[u.ID] = u
		s.dir.userByUPN[strings.ToLower(u.UserPrincipalName)] = u
	}
	for g := 0; g < s.opts.Groups; g++ {
		name := seedGroupNames[g%len(seedGroupNames)]
		if g >= len(seedGroupNames) {
			name = fmt.Sprintf("%s %d", name, g/len(seedGroupNames)+1)
		}
		nick := strings.ReplaceAll(asciiLower(name), "-", "")
		grp := &Group{
			ID:           seededUUID(rng),
			DisplayName:  name,
			Description:  "Seeded group: members are every user whose index modulo the group count is " + fmt.Sprint(g) + ".",
			Mail:         nick + "@contoso.com",
			MailNickname: nick,
			// Seeded groups are mail-enabled security groups (synced
			// from an on-premises directory in a real tenant).
			MailEnabled:     true,
			SecurityEnabled: true,
		}
		for i, u := range s.dir.users {
			if i%s.opts.Groups == g {
				grp.MemberIDs = append(grp.MemberIDs, u.ID)
			}
		}
		s.dir.groups = append(s.dir.groups, grp)
		s.dir.groupByID[grp.ID] = grp
	}
}
