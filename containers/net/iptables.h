// containers/net/iptables.h: running the rules of iptables_rules.h with the iptables command
// (common/subprocess.h), in the network namespace minictr runs in.
//
// Every change is made so that running it twice is harmless (a rule already there is not added
// again, a rule already gone is not an error to delete), because a half-finished connect, a
// crash or a second `network rm` must be able to clean up whatever is left.
#pragma once

#include <vector>

#include "common/result.h"
#include "containers/net/iptables_rules.h"

namespace deploylab::ctr {

// Makes minictr's chains and the jumps into them, unless they are there already.
Result<void> ensure_own_chains();
// Removes the jumps and the chains (they must be empty): when the last network goes.
Result<void> remove_own_chains();

// Adds each rule that is not there yet; on a failure removes the ones this call added, so the
// call either adds all or leaves the tables as they were.
Result<void> add_rules(const std::vector<IptablesRule>& rules);
// Deletes each rule that is there, in reverse order; the first failure other than "no such rule".
Result<void> delete_rules(const std::vector<IptablesRule>& rules);

}  // namespace deploylab::ctr
