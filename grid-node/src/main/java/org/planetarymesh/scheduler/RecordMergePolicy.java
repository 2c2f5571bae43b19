package org.planetarymesh.scheduler;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import org.planetarymesh.scheduler.policy.MergeRule;

/**
 * Hazelcast's side of {@link MergeRule} for {@code mesh.jobs} and {@code mesh.tasks}: instantiated by class
 * name on every member, stateless.
 */
public final class RecordMergePolicy implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {

    @Override
    public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
        if (merging == null) {
            return existing.getRawValue();
        }
        if (existing == null) {
            return merging.getRawValue();
        }
        return MergeRule.prefersMerging(merging.getDeserializedValue(), existing.getDeserializedValue())
                ? merging.getRawValue() : existing.getRawValue();
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // stateless
    }

    @Override
    public void readData(ObjectDataInput in) {
        // stateless
    }
}
