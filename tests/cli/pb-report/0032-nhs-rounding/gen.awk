# group a: 13 people, 12 with a personal budget, 8 with a direct payment
# group b: 8 people, 7 with a personal budget, 0 direct payments
# group c: 22 people, 22 managed
BEGIN {
	print "person_id,primary_support_reason,age,support_start,delivery_mechanism"
	for (i = 1; i <= 13; i++) print "A" i ",physical," 30 + i ",2025-01-01," (i <= 8 ? "dp" : i <= 12 ? "managed" : "commissioned")
	for (i = 1; i <= 8; i++) print "B" i ",sensory,70,2025-01-01," (i <= 7 ? "managed" : "commissioned")
	for (i = 1; i <= 22; i++) print "C" i ",mental_health,50,2025-01-01,managed"
}
