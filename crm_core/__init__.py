"""BranchLink's shared CRM core: customers, managers, links and interactions for every channel."""
