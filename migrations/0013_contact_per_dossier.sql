CREATE TYPE "public"."contact_change_confirmation" AS ENUM('otp_old_phone', 'id_card');--> statement-breakpoint
CREATE TYPE "public"."contact_change_state" AS ENUM('pending', 'applied', 'cancelled');--> statement-breakpoint
CREATE TABLE "contact_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"state" "contact_change_state" DEFAULT 'pending' NOT NULL,
	"confirmation" "contact_change_confirmation" NOT NULL,
	"old_phone" varchar(15),
	"new_phone" varchar(15),
	"old_delivery_address" jsonb,
	"new_delivery_address" jsonb,
	"otp_id" uuid,
	"requested_by" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "applicants" DROP CONSTRAINT "applicants_citizen_id_unique";--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "proof" varchar(12);--> statement-breakpoint
ALTER TABLE "contact_changes" ADD CONSTRAINT "contact_changes_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_changes" ADD CONSTRAINT "contact_changes_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_changes" ADD CONSTRAINT "contact_changes_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_changes_by_dossier" ON "contact_changes" USING btree ("dossier_id","requested_at");--> statement-breakpoint
CREATE INDEX "applicants_by_citizen_id" ON "applicants" USING btree ("citizen_id","created_at");--> statement-breakpoint
-- Contact belongs to the dossier it was given for: a row shared by several dossiers (one id number received
-- more than once) is copied so that every dossier after the first has its own.
CREATE TEMPORARY TABLE "applicant_split" AS
  SELECT "dossier_id", "applicant_id", gen_random_uuid() AS "new_id" FROM (
    SELECT "id" AS "dossier_id", "applicant_id",
      row_number() OVER (PARTITION BY "applicant_id" ORDER BY "created_at", "id") AS "n"
    FROM "dossiers" WHERE "applicant_id" IS NOT NULL
  ) AS "numbered" WHERE "n" > 1;--> statement-breakpoint
INSERT INTO "applicants" ("id", "kind", "citizen_id", "full_name", "date_of_birth", "sex", "phone", "email", "address", "created_at")
  SELECT s."new_id", a."kind", a."citizen_id", a."full_name", a."date_of_birth", a."sex", a."phone", a."email", a."address", a."created_at"
  FROM "applicant_split" s JOIN "applicants" a ON a."id" = s."applicant_id";--> statement-breakpoint
UPDATE "dossiers" d SET "applicant_id" = s."new_id" FROM "applicant_split" s WHERE d."id" = s."dossier_id";--> statement-breakpoint
DROP TABLE "applicant_split";
