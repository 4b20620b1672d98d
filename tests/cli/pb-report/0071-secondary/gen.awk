# group a: 23 people, 18 with a personal budget, 13 with a direct
#          payment, 5 managed: managed is suppressed (1 to 7)
# group b: 40 people, 30 with a personal budget, 10 direct, 20 managed
# group c: 30 people, 30 managed
BEGIN {
	print "person_id,primary_support_reason,age,support_start,delivery_mechanism"
	for (i = 1; i <= 23; i++) print "A" i ",physical,40,2025-01-01," (i <= 13 ? "dp" : i <= 18 ? "managed" : "commissioned")
	for (i = 1; i <= 40; i++) print "B" i ",sensory,40,2025-01-01," (i <= 10 ? "dp" : i <= 30 ? "managed" : "commissioned")
	for (i = 1; i <= 30; i++) print "C" i ",mental_health,40,2025-01-01,managed"
}
