ALTER TYPE "public"."office_kind" ADD VALUE 'commune_service_centre';--> statement-breakpoint
CREATE TABLE "competence_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"level" "procedure_level" NOT NULL,
	"procedure_id" uuid,
	"commune_code" varchar(5) NOT NULL,
	"agency_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "office_departments" (
	"office_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_departments_office_id_department_id_pk" PRIMARY KEY("office_id","department_id")
);
--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "receiving_department_id" uuid;--> statement-breakpoint
ALTER TABLE "procedure_versions" ADD COLUMN "processing_unit" varchar(16) DEFAULT 'working_days' NOT NULL;--> statement-breakpoint
ALTER TABLE "procedure_versions" ADD COLUMN "processing_amount" double precision;--> statement-breakpoint
ALTER TABLE "procedure_versions" ADD COLUMN "competence_basis" varchar(12) DEFAULT 'residence' NOT NULL;--> statement-breakpoint
ALTER TABLE "competence_assignments" ADD CONSTRAINT "competence_assignments_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competence_assignments" ADD CONSTRAINT "competence_assignments_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competence_assignments" ADD CONSTRAINT "competence_assignments_agency_id_offices_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competence_assignments" ADD CONSTRAINT "competence_assignments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "office_departments" ADD CONSTRAINT "office_departments_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "office_departments" ADD CONSTRAINT "office_departments_department_id_offices_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "competence_assignments_lookup" ON "competence_assignments" USING btree ("commune_code","level","effective_from");--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_receiving_department_id_offices_id_fk" FOREIGN KEY ("receiving_department_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Existing dossiers were coded with the receiving office's own id: that office stands as their department, so
-- every code already given (receipts, SMS, QR) keeps resolving and no daily sequence is reused.
UPDATE "dossiers" SET "receiving_department_id" = "receiving_office_id" WHERE "code" IS NOT NULL;--> statement-breakpoint
-- Each existing post office receives for its province's Public Administration Service Centre (Decision 468).
INSERT INTO "office_departments" ("office_id", "department_id", "is_default")
SELECT po."id", sc."id", true
FROM "offices" po
JOIN "communes" pc ON pc."code" = po."commune_code"
JOIN "communes" scc ON scc."province_code" = pc."province_code"
JOIN "offices" sc ON sc."commune_code" = scc."code" AND sc."kind" = 'service_centre'
WHERE po."kind" = 'post_office'
ON CONFLICT DO NOTHING;
