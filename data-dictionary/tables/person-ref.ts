/** The `person_id` foreign key column shared by every person-level table. */
import * as c from "../columns.js";

/** A required `person_id` referring to `persons.person_id`. */
export function personRef(description = "The person this row belongs to.") {
  return c.id({
    label: "Person ID",
    description,
    references: { table: "persons", column: "person_id" },
  });
}
