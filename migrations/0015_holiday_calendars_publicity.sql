CREATE TYPE "public"."holiday_calendar_state" AS ENUM('draft', 'published', 'superseded');--> statement-breakpoint
CREATE TABLE "holiday_calendar_versions" (
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"state" "holiday_calendar_state" NOT NULL,
	"source" text NOT NULL,
	"days" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone,
	CONSTRAINT "holiday_calendar_versions_year_version_pk" PRIMARY KEY("year","version")
);
--> statement-breakpoint
CREATE TABLE "provisional_due_times" (
	"dossier_id" uuid PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"counted_from" timestamp with time zone NOT NULL,
	"working_hours" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publicity_scores" (
	"unit_id" uuid NOT NULL,
	"month" date NOT NULL,
	"centi_points" integer NOT NULL,
	"source" varchar(16) NOT NULL,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publicity_scores_unit_id_month_pk" PRIMARY KEY("unit_id","month"),
	CONSTRAINT "publicity_scores_in_range" CHECK ("publicity_scores"."centi_points" between 0 and 1800),
	CONSTRAINT "publicity_scores_first_of_month" CHECK (extract(day from "publicity_scores"."month") = 1)
);
--> statement-breakpoint
ALTER TABLE "holiday_calendar_versions" ADD CONSTRAINT "holiday_calendar_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holiday_calendar_versions" ADD CONSTRAINT "holiday_calendar_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisional_due_times" ADD CONSTRAINT "provisional_due_times_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicity_scores" ADD CONSTRAINT "publicity_scores_unit_id_offices_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicity_scores" ADD CONSTRAINT "publicity_scores_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "holiday_calendar_one_draft_per_year" ON "holiday_calendar_versions" USING btree ("year") WHERE "holiday_calendar_versions"."state" = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "holiday_calendar_one_published_per_year" ON "holiday_calendar_versions" USING btree ("year") WHERE "holiday_calendar_versions"."state" = 'published';--> statement-breakpoint
-- Existing databases: the 2026 New Year swap (off Friday 02/01, worked Saturday 10/01) was missing from the table.
INSERT INTO "holidays" ("day", "year", "kind", "name_vi", "name_en", "source")
SELECT d.day, 2026, d.kind::holiday_kind, d.name_vi, d.name_en, h.source
FROM (VALUES
  ('2026-01-02'::date, 'swap_off', 'Nghỉ hoán đổi dịp Tết Dương lịch', 'Swapped day off (New Year)'),
  ('2026-01-10'::date, 'working_weekend', 'Làm bù cho ngày nghỉ 02/01/2026', 'Làm bù cho ngày nghỉ 02/01/2026')
) AS d(day, kind, name_vi, name_en)
CROSS JOIN (SELECT max("source") AS source FROM "holidays" WHERE "year" = 2026 HAVING count(*) > 0) AS h
ON CONFLICT ("day") DO NOTHING;
--> statement-breakpoint
-- Each stored year becomes version 1 of its calendar: published, except a year seeded as a projection, which
-- goes back to a draft (and out of the days in force) until an administrator publishes it.
INSERT INTO "holiday_calendar_versions" ("year", "version", "state", "source", "days", "published_at")
SELECT "year", 1,
  (CASE WHEN bool_or("source" LIKE '%PROJECTION%') THEN 'draft' ELSE 'published' END)::holiday_calendar_state,
  max("source"),
  jsonb_agg(jsonb_build_object('date', "day"::text, 'kind', "kind"::text, 'nameVi', "name_vi", 'nameEn', "name_en") ORDER BY "day"),
  CASE WHEN bool_or("source" LIKE '%PROJECTION%') THEN NULL ELSE now() END
FROM "holidays" GROUP BY "year";
--> statement-breakpoint
DELETE FROM "holidays" WHERE "source" LIKE '%PROJECTION%';
